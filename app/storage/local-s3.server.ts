/**
 * The local S3 stand-in: s3rver running in this process on 127.0.0.1, storing objects under
 * `directory`, with the video bucket and its CORS rule created at start (see S3-LOCAL.md).
 * Used by `npm start` on the embedded default, by scripts/s3-local.ts and by the tests.
 *
 * One deliberate addition to s3rver 3.7.1 (multipartUploadShim below): AbortMultipartUpload,
 * which s3rver answers with 405 MethodNotAllowed, and NoSuchUpload for operations on an upload
 * that does not exist (s3rver answers 500 on Complete and silently creates a new upload on
 * UploadPart). Without it, cancelling an upload fails locally and leaves its parts on disk
 * forever (there is no lifecycle rule locally), and a second Complete looks like an outage.
 *
 * Clients must use LOCAL_S3_CREDENTIALS (s3rver's built-in key pair; other keys get 403),
 * forcePathStyle and the returned endpoint, e.g.
 *   createS3Storage({ region: 'us-east-1', bucket, endpoint, forcePathStyle: true,
 *                     credentials: LOCAL_S3_CREDENTIALS })
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import S3rver, { type KoaContext } from 's3rver';
import { videoBucketCorsRule } from './s3-bucket.server';

/** s3rver's hard-coded account: the only keys it accepts. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Any region works with s3rver; this one needs no LocationConstraint on create. */
export const LOCAL_S3_REGION = 'us-east-1';

export interface LocalS3 {
  /** e.g. http://127.0.0.1:4569 */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartLocalS3Options {
  /** Where objects live; created if missing. */
  directory: string;
  /** Default 0: a free port. */
  port?: number;
  bucket: string;
  /** The app's origins (browser uploads and playback). */
  corsOrigins: string[];
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** The bucket CORS rule (same as ensureBucket puts on MinIO) as the XML s3rver reads. */
export function corsConfigurationXml(origins: string[]): string {
  const rule = videoBucketCorsRule(origins);
  const tags = (tag: string, values: string[] | undefined) =>
    (values ?? []).map((v) => `    <${tag}>${escapeXml(v)}</${tag}>`).join('\n');
  return [
    '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    '  <CORSRule>',
    tags('AllowedOrigin', rule.AllowedOrigins),
    tags('AllowedMethod', rule.AllowedMethods),
    tags('AllowedHeader', rule.AllowedHeaders),
    tags('ExposeHeader', rule.ExposeHeaders),
    `    <MaxAgeSeconds>${rule.MaxAgeSeconds}</MaxAgeSeconds>`,
    '  </CORSRule>',
    '</CORSConfiguration>',
  ].join('\n');
}

const UPLOADS_DIR = '._S3rver_uploads'; // s3rver's FilesystemStore layout (3.7.x)

function noSuchUpload(ctx: KoaContext, uploadId: string): void {
  ctx.status = 404;
  ctx.type = 'application/xml';
  // Like s3rver's own CORS middleware, so a browser sees the 404 rather than a CORS error.
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
    '<Message>The specified upload does not exist. The upload ID may be invalid, or the upload ' +
    `may have been aborted or completed.</Message><UploadId>${escapeXml(uploadId)}</UploadId></Error>`;
}

/**
 * Makes the stand-in answer like S3 for an upload id that is unknown, already completed or
 * aborted, or belongs to another key (404 NoSuchUpload), and implements Abort (204, parts
 * deleted). Runs before s3rver's own routing; every other request passes through unchanged.
 */
function multipartUploadShim(directory: string) {
  return async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const uploadId = ctx.query.uploadId;
    if (typeof uploadId !== 'string' || !['PUT', 'POST', 'DELETE'].includes(ctx.method)) return next();
    const match = /^\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(ctx.path);
    if (!match) return next();
    const [, bucket, encodedKey] = match;
    let key: string;
    try {
      key = encodedKey.split('/').map(decodeURIComponent).join('/');
    } catch {
      return next();
    }
    // s3rver's ids are 16 random bytes in hex; anything else cannot be one (and is no path).
    if (!/^[0-9a-f]{32}$/.test(uploadId)) return noSuchUpload(ctx, uploadId);
    const uploadDir = path.join(directory, bucket, UPLOADS_DIR, uploadId);
    const storedKey = await readFile(path.join(uploadDir, 'key'), 'utf8').catch(() => null);
    if (storedKey === null || storedKey !== key) return noSuchUpload(ctx, uploadId);
    if (ctx.method === 'DELETE') {
      await rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.body = '';
      return;
    }
    return next();
  };
}

export async function startLocalS3(opts: StartLocalS3Options): Promise<LocalS3> {
  await mkdir(opts.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port ?? 0,
    silent: true,
    directory: opts.directory,
    configureBuckets: [{ name: opts.bucket, configs: [corsConfigurationXml(opts.corsOrigins)] }],
  });
  server.middleware.unshift(multipartUploadShim(opts.directory));
  const { port } = await server.run();
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop() {
      stopped ??= (async () => {
        const http = server.httpServer;
        const closing = server.close();
        // Browsers and undici keep connections alive; do not wait for them to time out.
        http?.closeIdleConnections();
        const timer = setTimeout(() => http?.closeAllConnections(), 2000);
        try {
          await closing;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopped;
    },
  };
}
