/**
 * The S3 adapter of the storage port (storage.ts), for AWS S3, S3-compatible servers (Moto) and the local s3rver
 * stand-in. Configuration arrives as an options object (config.server.ts reads the
 * environment; nothing here does).
 *
 * S3 settings and why:
 * - requestChecksumCalculation / responseChecksumValidation 'WHEN_REQUIRED': since SDK 3.729
 *   the default ('WHEN_SUPPORTED') adds a CRC32 checksum of an EMPTY body to presigned PUT and
 *   UploadPart URLs, which real S3 then rejects for the browser's actual bytes. Operations
 *   that need a checksum (PutBucketCors, PutBucketLifecycleConfiguration) still get one.
 * - forcePathStyle: for S3-compatible servers and s3rver (http://host:port/bucket/key); AWS wants false.
 * - endpoint: the server-to-S3 address (Moto/s3rver); unset for AWS.
 * - publicEndpoint: the address BROWSERS use, when it differs from `endpoint` (e.g. the app
 *   talks to http://moto:5000 inside docker-compose but the browser reaches
 *   http://localhost:5000). Presigned URLs and POST forms are signed for this host.
 * - credentials: unset on AWS (the default provider chain: role, env, profile); S3RVER/S3RVER
 *   for the local stand-in (LOCAL_S3_CREDENTIALS), the static S3 keys for other servers.
 * - Presigned lifetimes: PUT/parts/POST 1 h, GET 15 min. Short on purpose: a leaked URL is
 *   useful only briefly, and the app presigns again on demand.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  S3_LIMITS,
  StorageError,
  type ObjectInfo,
  type PresignedPart,
  type PresignedPostForm,
  type PresignedRequest,
  type VideoStorage,
} from './storage';
import { awsInfo, makeClient, translate, type S3StorageOptions } from './s3-client.server';

export type { S3StorageOptions } from './s3-client.server';
export { ensureBucket, lifecycleRuleAbortIncompleteMultipart, videoBucketCorsRule } from './s3-bucket.server';

export const DEFAULT_UPLOAD_URL_SECONDS = 3600;
export const DEFAULT_GET_URL_SECONDS = 900;

function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key) > 1024 || key.startsWith('/')) {
    throw new StorageError('InvalidArgument', `invalid object key ${JSON.stringify(key)}`);
  }
}

function expiry(seconds: number | undefined, fallback: number): number {
  const s = seconds ?? fallback;
  if (!Number.isInteger(s) || s < 1 || s > S3_LIMITS.maxPresignSeconds) {
    throw new StorageError('InvalidArgument', `presigned URL lifetime must be 1..${S3_LIMITS.maxPresignSeconds} s`);
  }
  return s;
}

function unquote(etag: string | undefined): string | null {
  return etag ? etag.replace(/^"+|"+$/g, '') : null;
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the exact UTF-8 name. */
function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function createS3Storage(opts: S3StorageOptions): VideoStorage {
  const { bucket } = opts;
  if (!bucket) throw new StorageError('InvalidArgument', 'bucket is required');
  const client = makeClient(opts, opts.endpoint);
  // Presigning is local computation; a separate client only changes the host in the URLs.
  const presigner = opts.publicEndpoint ? makeClient(opts, opts.publicEndpoint) : client;

  return {
    async presignPut({ key, contentType, contentLength, expiresInSeconds }): Promise<PresignedRequest> {
      assertKey(key);
      const sized = contentLength !== undefined;
      if (
        sized &&
        (!Number.isSafeInteger(contentLength) || contentLength < 1 || contentLength > S3_LIMITS.maxSinglePutBytes)
      ) {
        throw new StorageError('InvalidArgument', `single PUT size must be 1..${S3_LIMITS.maxSinglePutBytes} bytes`);
      }
      const expiresIn = expiry(expiresInSeconds, DEFAULT_UPLOAD_URL_SECONDS);
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ...(sized ? { ContentLength: contentLength } : {}),
      });
      // content-type (and content-length when known) become signed headers: S3 refuses any
      // other value. Unsized PUTs (original API clients) are size-checked at finalize.
      const url = await getSignedUrl(presigner, command, {
        expiresIn,
        signableHeaders: new Set(sized ? ['content-type', 'content-length'] : ['content-type']),
      });
      return { url, headers: { 'Content-Type': contentType }, expiresIn };
    },

    async createMultipartUpload({ key, contentType }) {
      assertKey(key);
      try {
        const out = await client.send(
          new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }),
        );
        if (!out.UploadId) throw new StorageError('Unavailable', 'CreateMultipartUpload returned no UploadId');
        return { uploadId: out.UploadId };
      } catch (err) {
        throw translate(err, 'CreateMultipartUpload');
      }
    },

    async presignUploadParts({ key, uploadId, partNumbers, expiresInSeconds }): Promise<PresignedPart[]> {
      assertKey(key);
      if (!uploadId) throw new StorageError('InvalidArgument', 'uploadId is required');
      for (const n of partNumbers) {
        if (!Number.isInteger(n) || n < 1 || n > S3_LIMITS.maxParts) {
          throw new StorageError('InvalidArgument', `part number must be 1..${S3_LIMITS.maxParts}, got ${n}`);
        }
      }
      const expiresIn = expiry(expiresInSeconds, DEFAULT_UPLOAD_URL_SECONDS);
      return Promise.all(
        partNumbers.map(async (partNumber) => ({
          partNumber,
          url: await getSignedUrl(
            presigner,
            new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber }),
            { expiresIn },
          ),
        })),
      );
    },

    async completeMultipartUpload({ key, uploadId, parts }) {
      assertKey(key);
      if (parts.length === 0) throw new StorageError('InvalidPart', 'no parts to complete');
      const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
      for (let i = 0; i < sorted.length; i++) {
        const p = sorted[i];
        if (!Number.isInteger(p.partNumber) || p.partNumber < 1 || p.partNumber > S3_LIMITS.maxParts) {
          throw new StorageError('InvalidPart', `invalid part number ${p.partNumber}`);
        }
        if (i > 0 && sorted[i - 1].partNumber === p.partNumber) {
          throw new StorageError('InvalidPart', `part ${p.partNumber} listed twice`);
        }
        if (typeof p.etag !== 'string' || p.etag.replace(/"/g, '').length === 0) {
          throw new StorageError('InvalidPart', `part ${p.partNumber} has no ETag`);
        }
      }
      try {
        const out = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: {
              Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag.replace(/"/g, '')}"` })),
            },
          }),
        );
        return { etag: unquote(out.ETag) };
      } catch (err) {
        throw translate(err, 'CompleteMultipartUpload');
      }
    },

    async abortMultipartUpload({ key, uploadId }) {
      assertKey(key);
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      } catch (err) {
        // Already completed/aborted (or never existed): the goal, no parts left, holds.
        if (awsInfo(err).name === 'NoSuchUpload') return;
        throw translate(err, 'AbortMultipartUpload');
      }
    },

    async presignPostForm({
      key,
      maxBytes,
      redirectUrl,
      contentTypePrefix = 'video/',
      contentType,
      expiresInSeconds,
    }): Promise<PresignedPostForm> {
      assertKey(key);
      if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > S3_LIMITS.maxSinglePutBytes) {
        throw new StorageError('InvalidArgument', `POST size limit must be 1..${S3_LIMITS.maxSinglePutBytes} bytes`);
      }
      if (!/^https?:\/\//.test(redirectUrl)) {
        throw new StorageError('InvalidArgument', 'redirectUrl must be an absolute http(s) URL');
      }
      if (contentType !== undefined && !contentType.startsWith(contentTypePrefix)) {
        throw new StorageError('InvalidArgument', `contentType must start with ${contentTypePrefix}`);
      }
      const expires = expiry(expiresInSeconds, DEFAULT_UPLOAD_URL_SECONDS);
      try {
        // Fields are also added to the policy as exact-match conditions by the SDK (the key,
        // the bucket and success_action_redirect included).
        const { url, fields } = await createPresignedPost(presigner, {
          Bucket: bucket,
          Key: key,
          Expires: expires,
          Conditions: [
            ['content-length-range', 1, maxBytes],
            ['starts-with', '$Content-Type', contentTypePrefix],
          ],
          Fields: {
            success_action_redirect: redirectUrl,
            ...(contentType ? { 'Content-Type': contentType } : {}),
          },
        });
        return { url, fields };
      } catch (err) {
        throw translate(err, 'createPresignedPost');
      }
    },

    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (err) {
        throw translate(err, 'HeadBucket');
      }
    },

    async head(key): Promise<ObjectInfo | null> {
      assertKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return {
          size: out.ContentLength ?? 0,
          contentType: out.ContentType ?? null,
          etag: unquote(out.ETag),
        };
      } catch (err) {
        const { name, status } = awsInfo(err);
        if (name === 'NotFound' || name === 'NoSuchKey' || status === 404) return null;
        throw translate(err, 'HeadObject');
      }
    },

    async readFirstBytes(key, count) {
      assertKey(key);
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new StorageError('InvalidArgument', 'count must be a positive integer');
      }
      type Body = AsyncIterable<Uint8Array> & { destroy?: () => void };
      let body: Body | undefined;
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${count - 1}` }),
        );
        body = res.Body as Body | undefined;
        // An empty object: S3 answers 416 (below); s3rver answers 206 "bytes 0-0/0" and then
        // breaks the connection, so never read a body that cannot exist.
        if (res.ContentLength === 0 || /\/0$/.test(res.ContentRange ?? '')) {
          body?.destroy?.();
          return new Uint8Array(0);
        }
      } catch (err) {
        // 416 for a range starting at 0 means the object exists and is empty.
        if (awsInfo(err).name === 'InvalidRange' || awsInfo(err).status === 416) return new Uint8Array(0);
        throw translate(err, 'GetObject');
      }
      const out = new Uint8Array(count);
      let filled = 0;
      if (body) {
        try {
          // Stop reading at `count` even if a server ignored Range and sent the whole video:
          // leaving the loop early destroys the stream.
          for await (const chunk of body) {
            const take = Math.min(chunk.byteLength, count - filled);
            out.set(chunk.subarray(0, take), filled);
            filled += take;
            if (filled >= count) break;
          }
        } catch (err) {
          throw translate(err, 'GetObject body');
        }
      }
      return out.subarray(0, filled);
    },

    async delete(key) {
      assertKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (err) {
        const { name, status } = awsInfo(err);
        if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return;
        throw translate(err, 'DeleteObject');
      }
    },

    async presignGet(key, getOpts = {}) {
      assertKey(key);
      const expiresIn = expiry(getOpts.expiresInSeconds, DEFAULT_GET_URL_SECONDS);
      return getSignedUrl(
        presigner,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ResponseContentDisposition: getOpts.downloadName ? attachmentDisposition(getOpts.downloadName) : undefined,
          ResponseContentType: getOpts.responseContentType,
        }),
        { expiresIn },
      );
    },
  };
}
