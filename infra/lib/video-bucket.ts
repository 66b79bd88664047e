/**
 * The video bucket. Its CORS and lifecycle rules are the app's own (app/storage/s3-bucket.server.ts),
 * the ones ensureBucket applies to local stand-ins, so browsers upload to AWS exactly as they
 * do on a laptop: presigned PUT, multipart parts whose ETag the page must read, POST policy.
 * Private, TLS only, encrypted, kept when the stack goes.
 */
import { Duration, RemovalPolicy, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { lifecycleRuleAbortIncompleteMultipart, videoBucketCorsRule } from '../../app/storage/s3-bucket.server';

const METHODS: Record<string, s3.HttpMethods> = {
  GET: s3.HttpMethods.GET,
  PUT: s3.HttpMethods.PUT,
  POST: s3.HttpMethods.POST,
  HEAD: s3.HttpMethods.HEAD,
  DELETE: s3.HttpMethods.DELETE,
};

function corsRule(origins: string[]): s3.CorsRule {
  const rule = videoBucketCorsRule(origins);
  return {
    allowedOrigins: rule.AllowedOrigins ?? [],
    allowedMethods: (rule.AllowedMethods ?? []).map((m) => {
      const method = METHODS[m];
      if (!method) throw new Error(`video bucket CORS: unknown method ${m}`);
      return method;
    }),
    allowedHeaders: rule.AllowedHeaders,
    exposedHeaders: rule.ExposeHeaders,
    maxAge: rule.MaxAgeSeconds,
  };
}

function abandonedUploadsRule(): s3.LifecycleRule {
  const rule = lifecycleRuleAbortIncompleteMultipart(1);
  const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
  if (!days) throw new Error('video bucket lifecycle: the app rule names no abort delay');
  return { id: rule.ID, enabled: true, abortIncompleteMultipartUploadAfter: Duration.days(days) };
}

export class VideoBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { appOrigins: string[] }) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      // SSE-S3, not KMS: every ranged GET of a video would otherwise be a billed KMS call (ADR 021).
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      cors: [corsRule(props.appOrigins)],
      lifecycleRules: [abandonedUploadsRule()],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
