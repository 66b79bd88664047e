/** The S3 client as every storage module builds it, and SDK errors in the port's terms. */
import { S3Client } from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import { recordS3Call } from '~/utils/metrics.server';
import { StorageError } from './storage';

export interface S3StorageOptions {
  region: string;
  bucket: string;
  /** Server-to-S3 endpoint for MinIO / s3rver; omit for AWS. */
  endpoint?: string;
  /** Path-style URLs (required by s3rver, usual for MinIO). Default: true iff endpoint is set. */
  forcePathStyle?: boolean;
  /** Static keys; omit on AWS to use the default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The endpoint browsers use, if different from `endpoint` (presigned URLs point there). */
  publicEndpoint?: string;
}

/**
 * Per attempt (the SDK's standard retries apply): an S3 that does not answer fails the request
 * as StorageError('Unavailable') — 503 + Retry-After — instead of holding it. Generous per
 * request, because completing a large multipart upload takes S3 a while.
 */
export const S3_TIMEOUTS = { connectMs: 3_000, requestMs: 30_000 };

export function makeClient(opts: S3StorageOptions, endpoint: string | undefined): S3Client {
  const client = new S3Client({
    region: opts.region,
    endpoint,
    requestHandler: { connectionTimeout: S3_TIMEOUTS.connectMs, requestTimeout: S3_TIMEOUTS.requestMs },
    forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint ?? opts.publicEndpoint),
    credentials: opts.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // After signing: a presigner stops before the signer and sends nothing, so only real calls
  // (each attempt) are timed.
  const timer: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const started = performance.now();
    const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
    try {
      const result = await next(args);
      recordS3Call(operation, 'ok', performance.now() - started);
      return result;
    } catch (error) {
      recordS3Call(operation, 'error', performance.now() - started);
      throw error;
    }
  };
  client.middlewareStack.addRelativeTo(timer, {
    relation: 'after',
    toMiddleware: 'awsAuthMiddleware',
    name: 'classcastS3CallTimer',
  });
  return client;
}

interface AwsLikeError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function awsInfo(err: unknown): { name: string; status: number | undefined } {
  const e = (err ?? {}) as AwsLikeError;
  return { name: e.name ?? e.Code ?? 'Error', status: e.$metadata?.httpStatusCode };
}

/** Turns SDK errors into the port's StorageError, keeping the original as `cause`. */
export function translate(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const { name, status } = awsInfo(err);
  const message = `${what}: ${name}${status ? ` (${status})` : ''}`;
  switch (name) {
    case 'NotFound':
    case 'NoSuchKey':
      return new StorageError('NotFound', message, { cause: err });
    case 'NoSuchUpload':
      return new StorageError('NoSuchUpload', message, { cause: err });
    case 'InvalidPart':
    case 'InvalidPartOrder':
    case 'MalformedXML':
      return new StorageError('InvalidPart', message, { cause: err });
    case 'EntityTooSmall':
      return new StorageError('EntityTooSmall', message, { cause: err });
    default:
      return new StorageError('Unavailable', message, { cause: err });
  }
}
