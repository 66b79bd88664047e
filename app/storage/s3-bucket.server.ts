/**
 * The video bucket's rules (CORS for browser uploads and playback, lifecycle for abandoned
 * multipart uploads) and ensureBucket, which applies them to local stand-ins and S3-compatible servers (Moto).
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  type BucketLocationConstraint,
  type CORSRule,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { awsInfo, makeClient, translate, type S3StorageOptions } from './s3-client.server';
import { StorageError } from './storage';

/**
 * The CORS rule the video bucket needs for direct browser uploads and playback. ETag must be
 * exposed or the page cannot read part ETags and Complete fails; Content-Range/Accept-Ranges
 * let players see ranged responses. Cookies are never sent to S3, so no credentials mode.
 */
export function videoBucketCorsRule(origins: string[]): CORSRule {
  if (origins.length === 0) throw new StorageError('InvalidArgument', 'at least one CORS origin is required');
  return {
    AllowedOrigins: [...origins],
    AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag', 'Content-Range', 'Accept-Ranges', 'Content-Length'],
    MaxAgeSeconds: 3000,
  };
}

/**
 * The lifecycle rule to apply to the video bucket on AWS (and S3-compatible servers): S3 keeps the parts of
 * an upload nobody completed or aborted (closed tab, crash) forever and bills them; this
 * rule deletes them `days` after the upload started. Apply it with
 * PutBucketLifecycleConfiguration (ensureBucket does, where supported) or in infra/.
 */
export function lifecycleRuleAbortIncompleteMultipart(days = 1): LifecycleRule {
  if (!Number.isInteger(days) || days < 1) throw new StorageError('InvalidArgument', 'days must be a positive integer');
  return {
    ID: 'abort-incomplete-multipart-uploads',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
  };
}

export interface EnsureBucketOptions extends S3StorageOptions {
  /** Origins of the app allowed to upload/play from the browser. */
  corsOrigins: string[];
  /** Days after which incomplete multipart uploads are aborted. Default 1. */
  abortIncompleteAfterDays?: number;
}

/**
 * For local stand-ins and S3-compatible servers (Moto) (AWS buckets belong to infra/): creates the bucket if it
 * is missing, sets the CORS rule and, where the server implements it, the lifecycle rule.
 * Idempotent; safe at every start.
 */
export async function ensureBucket(
  opts: EnsureBucketOptions,
): Promise<{ created: boolean; lifecycleApplied: boolean }> {
  const client = makeClient(opts, opts.endpoint);
  try {
    let created = false;
    try {
      await client.send(new HeadBucketCommand({ Bucket: opts.bucket }));
    } catch (err) {
      const { name, status } = awsInfo(err);
      if (!(name === 'NotFound' || name === 'NoSuchBucket' || status === 404)) throw err;
      await client.send(
        new CreateBucketCommand({
          Bucket: opts.bucket,
          ...(opts.region !== 'us-east-1'
            ? { CreateBucketConfiguration: { LocationConstraint: opts.region as BucketLocationConstraint } }
            : {}),
        }),
      );
      created = true;
    }
    await client.send(
      new PutBucketCorsCommand({
        Bucket: opts.bucket,
        CORSConfiguration: { CORSRules: [videoBucketCorsRule(opts.corsOrigins)] },
      }),
    );
    let lifecycleApplied = true;
    try {
      await client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: opts.bucket,
          LifecycleConfiguration: {
            Rules: [lifecycleRuleAbortIncompleteMultipart(opts.abortIncompleteAfterDays ?? 1)],
          },
        }),
      );
    } catch (err) {
      // s3rver answers NotImplemented: there is nothing to clean up after on a laptop anyway.
      if (awsInfo(err).name !== 'NotImplemented') throw err;
      lifecycleApplied = false;
    }
    return { created, lifecycleApplied };
  } catch (err) {
    throw translate(err, `ensureBucket ${opts.bucket}`);
  } finally {
    client.destroy();
  }
}
