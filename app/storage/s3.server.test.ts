/**
 * The S3 adapter against a real s3rver (in-process, temp directory, free port). Where the
 * stand-in is laxer than S3 the tests say so ("stand-in:"), so nobody mistakes a pass here for
 * S3 enforcing it: those checks belong to the app's finalize step or to real S3.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, startLocalS3, type LocalS3 } from './local-s3.server';
import { createS3Storage, ensureBucket, lifecycleRuleAbortIncompleteMultipart } from './s3.server';
import { isStorageError, S3_LIMITS, type VideoStorage } from './storage';
import { detectVideoContainer, SIGNATURE_BYTES } from './video-signature';

const BUCKET = 'classcast-test';
const APP_ORIGIN = 'http://127.0.0.1:3000';
const MiB = 1024 * 1024;

let dir: string;
let local: LocalS3;
let storage: VideoStorage;

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
/** A buffer that starts like a real MP4 (ftyp isom), then random bytes. */
function fakeMp4(size: number): Buffer<ArrayBuffer> {
  const b = randomBytes(size);
  // size 0x20, 'ftyp', 'isom', minor 0x200, brands isom iso2 avc1 mp41
  Buffer.from('00000020' + '66747970' + '69736f6d' + '00000200' + '69736f6d69736f32617663316d703431', 'hex').copy(b, 0);
  return b;
}

async function putSmall(key: string, body: Buffer<ArrayBuffer>, contentType = 'video/mp4'): Promise<void> {
  const put = await storage.presignPut({ key, contentType, contentLength: body.length });
  const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
  expect(res.status).toBe(200);
}

async function putPart(url: string, body: Buffer<ArrayBuffer>): Promise<string> {
  const res = await fetch(url, { method: 'PUT', body });
  expect(res.status).toBe(200);
  const etag = res.headers.get('etag');
  expect(etag).toBeTruthy();
  return etag!;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'classcast-s3-test-'));
  local = await startLocalS3({ directory: dir, bucket: BUCKET, corsOrigins: [APP_ORIGIN] });
  storage = createS3Storage({
    region: LOCAL_S3_REGION,
    bucket: BUCKET,
    endpoint: local.endpoint,
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  });
});

afterAll(async () => {
  await local?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('presigned PUT', () => {
  it('uploads straight to S3; head reports the stored size and type', async () => {
    const body = fakeMp4(4096);
    await putSmall('videos/single.mp4', body);
    const info = await storage.head('videos/single.mp4');
    expect(info).toEqual({ size: 4096, contentType: 'video/mp4', etag: md5(body) });
  });

  it('signs Content-Type and Content-Length and carries no checksum parameter', async () => {
    const put = await storage.presignPut({ key: 'k', contentType: 'video/webm', contentLength: 10 });
    const url = new URL(put.url);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(put.expiresIn).toBe(3600);
    expect(put.headers).toEqual({ 'Content-Type': 'video/webm' });
    expect(put.url).not.toMatch(/checksum/i);
    expect(url.origin).toBe(local.endpoint);
    expect(url.pathname).toBe(`/${BUCKET}/k`);
  });

  it('refuses sizes a single PUT cannot carry', async () => {
    await expect(
      storage.presignPut({ key: 'k', contentType: 'video/mp4', contentLength: S3_LIMITS.maxSinglePutBytes + 1 }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'InvalidArgument'));
    await expect(storage.presignPut({ key: 'k', contentType: 'video/mp4', contentLength: 0 })).rejects.toSatisfy((e) =>
      isStorageError(e, 'InvalidArgument'),
    );
  });

  it('stand-in: does not enforce the signed Content-Length (real S3 answers 403)', async () => {
    const put = await storage.presignPut({ key: 'videos/liar.mp4', contentType: 'video/mp4', contentLength: 10 });
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: Buffer.alloc(20) });
    expect(res.status).toBe(200);
    expect((await storage.head('videos/liar.mp4'))?.size).toBe(20); // why finalize HEADs
  });
});

describe('multipart upload', () => {
  it('create, presign parts, PUT with fetch, complete: head sees the whole object', async () => {
    const key = 'videos/multi.mp4';
    const part1 = fakeMp4(5 * MiB);
    const part2 = randomBytes(123_457);
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: 'video/mp4' });
    const urls = await storage.presignUploadParts({ key, uploadId, partNumbers: [2, 1] });
    expect(urls.map((u) => u.partNumber)).toEqual([2, 1]);
    for (const u of urls) expect(u.url).not.toMatch(/checksum/i);
    const byNumber = new Map(urls.map((u) => [u.partNumber, u.url]));
    // In parallel, as the browser does; part order is restored by completeMultipartUpload.
    const [etag2, etag1] = await Promise.all([putPart(byNumber.get(2)!, part2), putPart(byNumber.get(1)!, part1)]);
    expect(etag1.replace(/"/g, '')).toBe(md5(part1));

    const done = await storage.completeMultipartUpload({
      key,
      uploadId,
      parts: [
        { partNumber: 2, etag: etag2 },
        { partNumber: 1, etag: etag1 },
      ],
    });
    expect(done.etag).toBeTruthy();
    const info = await storage.head(key);
    expect(info?.size).toBe(part1.length + part2.length);
    expect(info?.contentType).toBe('video/mp4');
    // stand-in: a plain MD5 of the whole object; real S3's multipart ETag ends in "-2".
    expect(info?.etag).toBe(md5(Buffer.concat([part1, part2])));

    const head = await storage.readFirstBytes(key, SIGNATURE_BYTES);
    expect(Buffer.from(head).equals(part1.subarray(0, SIGNATURE_BYTES))).toBe(true);
    expect(detectVideoContainer(head)).toBe('mp4');
  });

  it('stand-in: accepts a first part below 5 MiB and wrong part ETags (real S3: EntityTooSmall / InvalidPart)', async () => {
    const key = 'videos/tiny-parts.webm';
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: 'video/webm' });
    const [p1, p2] = await storage.presignUploadParts({ key, uploadId, partNumbers: [1, 2] });
    await putPart(p1.url, Buffer.from('abc'));
    const e2 = await putPart(p2.url, Buffer.from('def'));
    await storage.completeMultipartUpload({
      key,
      uploadId,
      parts: [
        { partNumber: 1, etag: '"00000000000000000000000000000000"' },
        { partNumber: 2, etag: e2 },
      ],
    });
    expect((await storage.head(key))?.size).toBe(6);
  });

  it('a completed upload cannot be completed again: NoSuchUpload', async () => {
    const key = 'videos/twice.mp4';
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: 'video/mp4' });
    const [p1] = await storage.presignUploadParts({ key, uploadId, partNumbers: [1] });
    const etag = await putPart(p1.url, Buffer.from('x'));
    await storage.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag }] });
    await expect(
      storage.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag }] }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'NoSuchUpload'));
  });

  it('abort frees the parts; the upload is then gone for parts and complete; abort is repeatable', async () => {
    const key = 'videos/cancelled.mp4';
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: 'video/mp4' });
    const [p1] = await storage.presignUploadParts({ key, uploadId, partNumbers: [1] });
    const etag = await putPart(p1.url, randomBytes(1000));
    const uploadsDir = path.join(dir, BUCKET, '._S3rver_uploads');
    expect(await readdir(uploadsDir)).toContain(uploadId);

    await storage.abortMultipartUpload({ key, uploadId });
    expect(await readdir(uploadsDir)).not.toContain(uploadId);
    expect((await fetch(p1.url, { method: 'PUT', body: Buffer.from('late') })).status).toBe(404);
    await expect(
      storage.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag }] }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'NoSuchUpload'));
    await storage.abortMultipartUpload({ key, uploadId });
    expect(await storage.head(key)).toBeNull();
  });

  it('an unknown upload id, or another key, is NoSuchUpload', async () => {
    const { uploadId } = await storage.createMultipartUpload({ key: 'videos/a.mp4', contentType: 'video/mp4' });
    const parts = [{ partNumber: 1, etag: 'x' }];
    await expect(
      storage.completeMultipartUpload({ key: 'videos/a.mp4', uploadId: 'f'.repeat(32), parts }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'NoSuchUpload'));
    await expect(storage.completeMultipartUpload({ key: 'videos/b.mp4', uploadId, parts })).rejects.toSatisfy((e) =>
      isStorageError(e, 'NoSuchUpload'),
    );
    await storage.abortMultipartUpload({ key: 'videos/a.mp4', uploadId });
  });

  it('refuses bad part lists before calling S3', async () => {
    const base = { key: 'videos/x.mp4', uploadId: 'u' };
    await expect(storage.completeMultipartUpload({ ...base, parts: [] })).rejects.toSatisfy((e) =>
      isStorageError(e, 'InvalidPart'),
    );
    await expect(
      storage.completeMultipartUpload({
        ...base,
        parts: [
          { partNumber: 1, etag: 'a' },
          { partNumber: 1, etag: 'b' },
        ],
      }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'InvalidPart'));
    await expect(storage.presignUploadParts({ ...base, partNumbers: [0] })).rejects.toSatisfy((e) =>
      isStorageError(e, 'InvalidArgument'),
    );
    await expect(storage.presignUploadParts({ ...base, partNumbers: [10_001] })).rejects.toSatisfy((e) =>
      isStorageError(e, 'InvalidArgument'),
    );
  });
});

describe('reading back', () => {
  it('readFirstBytes returns the exact prefix, the whole of a short object, nothing of an empty one', async () => {
    const body = fakeMp4(1000);
    await putSmall('videos/read.mp4', body);
    expect(Buffer.from(await storage.readFirstBytes('videos/read.mp4', 64)).equals(body.subarray(0, 64))).toBe(true);
    expect(Buffer.from(await storage.readFirstBytes('videos/read.mp4', 5000)).equals(body)).toBe(true);

    // An empty object (a PUT URL for 1 byte, 0 sent: the stand-in does not enforce the length).
    const put = await storage.presignPut({ key: 'videos/empty.mp4', contentType: 'video/mp4', contentLength: 1 });
    await fetch(put.url, { method: 'PUT', headers: put.headers, body: Buffer.alloc(0) });
    expect((await storage.head('videos/empty.mp4'))?.size).toBe(0);
    expect(await storage.readFirstBytes('videos/empty.mp4', 64)).toHaveLength(0);
  });

  it('readFirstBytes of a missing object is NotFound; head of one is null', async () => {
    await expect(storage.readFirstBytes('videos/missing.mp4', 64)).rejects.toSatisfy((e) =>
      isStorageError(e, 'NotFound'),
    );
    expect(await storage.head('videos/missing.mp4')).toBeNull();
  });

  it('presignGet: short-lived, Range gives 206 and exactly the bytes asked for', async () => {
    const body = fakeMp4(2048);
    await putSmall('videos/play.mp4', body);
    const url = await storage.presignGet('videos/play.mp4');
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
    const res = await fetch(url, { headers: { Range: 'bytes=0-9' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 0-9/2048');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const got = Buffer.from(await res.arrayBuffer());
    expect(got.length).toBe(10);
    expect(got.equals(body.subarray(0, 10))).toBe(true);

    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(Buffer.from(await full.arrayBuffer()).equals(body)).toBe(true);
  });

  it('presignGet can serve as a download and override the content type', async () => {
    await putSmall('videos/dl.mp4', fakeMp4(100), 'application/octet-stream');
    const url = await storage.presignGet('videos/dl.mp4', {
      downloadName: 'Réponse "1".mp4',
      responseContentType: 'video/mp4',
      expiresInSeconds: 60,
    });
    const res = await fetch(url);
    await res.arrayBuffer();
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="R_ponse _1_.mp4"; filename*=UTF-8''R%C3%A9ponse%20%221%22.mp4`,
    );
  });
});

describe('presigned POST form (no-JS upload)', () => {
  it('posts the file to S3, which redirects back with key and etag', async () => {
    const key = 'videos/form.webm';
    const redirectUrl = `${APP_ORIGIN}/submit/done?assignment=a1`;
    const form = await storage.presignPostForm({ key, maxBytes: 10 * MiB, redirectUrl });
    expect(form.url).toBe(`${local.endpoint}/${BUCKET}`);
    expect(form.fields.key).toBe(key);
    expect(form.fields.success_action_redirect).toBe(redirectUrl);
    const policy = JSON.parse(Buffer.from(form.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 10 * MiB],
        ['starts-with', '$Content-Type', 'video/'],
        { key },
        { success_action_redirect: redirectUrl },
        { bucket: BUCKET },
      ]),
    );
    const expiresIn = (Date.parse(policy.expiration) - Date.now()) / 1000;
    expect(expiresIn).toBeGreaterThan(3500);
    expect(expiresIn).toBeLessThanOrEqual(3600);

    // What the browser sends: hidden fields, a Content-Type input, the file LAST.
    const body = Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810442858102', 'hex');
    const fd = new FormData();
    for (const [name, value] of Object.entries(form.fields)) fd.append(name, value);
    fd.append('Content-Type', 'video/webm');
    fd.append('file', new Blob([body], { type: 'video/webm' }), 'answer.webm');
    const res = await fetch(form.url, { method: 'POST', body: fd, redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${APP_ORIGIN}/submit/done`);
    expect(location.searchParams.get('assignment')).toBe('a1');
    expect(location.searchParams.getAll('key').at(-1)).toBe(key);
    expect(location.searchParams.get('etag')).toBe(`"${md5(body)}"`);

    expect(await storage.head(key)).toEqual({ size: body.length, contentType: 'video/webm', etag: md5(body) });
    expect(detectVideoContainer(await storage.readFirstBytes(key, SIGNATURE_BYTES))).toBe('webm');
  });

  it('can pin the Content-Type as a hidden field; refuses one outside the prefix', async () => {
    const form = await storage.presignPostForm({
      key: 'videos/f2.mp4',
      maxBytes: 1000,
      redirectUrl: `${APP_ORIGIN}/x`,
      contentType: 'video/mp4',
    });
    expect(form.fields['Content-Type']).toBe('video/mp4');
    await expect(
      storage.presignPostForm({ key: 'k', maxBytes: 1000, redirectUrl: `${APP_ORIGIN}/x`, contentType: 'image/png' }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'InvalidArgument'));
  });

  it('stand-in: does not enforce the policy (size, type): the app must check at finalize', async () => {
    const form = await storage.presignPostForm({
      key: 'videos/evil.txt',
      maxBytes: 10,
      redirectUrl: `${APP_ORIGIN}/x`,
    });
    const fd = new FormData();
    for (const [name, value] of Object.entries(form.fields)) fd.append(name, value);
    fd.append('Content-Type', 'text/plain');
    fd.append('file', new Blob([Buffer.alloc(100, 65)]), 'evil.txt');
    const res = await fetch(form.url, { method: 'POST', body: fd, redirect: 'manual' });
    expect(res.status).toBe(303);
    const info = await storage.head('videos/evil.txt');
    expect(info).toMatchObject({ size: 100, contentType: 'text/plain' });
    expect(detectVideoContainer(await storage.readFirstBytes('videos/evil.txt', SIGNATURE_BYTES))).toBeNull();
  });
});

describe('delete', () => {
  it('removes the object; deleting a missing key is fine', async () => {
    await putSmall('videos/gone.mp4', fakeMp4(100));
    expect(await storage.head('videos/gone.mp4')).not.toBeNull();
    await storage.delete('videos/gone.mp4');
    expect(await storage.head('videos/gone.mp4')).toBeNull();
    await storage.delete('videos/gone.mp4');
  });
});

describe('bucket setup', () => {
  it('the stand-in bucket answers CORS for the app origin and exposes ETag', async () => {
    const url = `${local.endpoint}/${BUCKET}/videos/single.mp4`;
    const pre = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        Origin: APP_ORIGIN,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-methods')).toContain('PUT');
    const other = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(other.status).toBe(403);
    const get = await fetch(await storage.presignGet('videos/single.mp4'), { headers: { Origin: APP_ORIGIN } });
    await get.arrayBuffer();
    expect(get.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
  });

  it('ensureBucket creates a bucket with CORS, is idempotent, and skips the lifecycle rule s3rver lacks', async () => {
    const opts = {
      region: 'eu-west-1',
      bucket: 'classcast-ensure',
      endpoint: local.endpoint,
      credentials: LOCAL_S3_CREDENTIALS,
      corsOrigins: [APP_ORIGIN],
    };
    expect(await ensureBucket(opts)).toEqual({ created: true, lifecycleApplied: false });
    expect(await ensureBucket(opts)).toEqual({ created: false, lifecycleApplied: false });
    const pre = await fetch(`${local.endpoint}/classcast-ensure/x`, {
      method: 'OPTIONS',
      headers: { Origin: APP_ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(200);
  });

  it('exports the AWS lifecycle rule', () => {
    expect(lifecycleRuleAbortIncompleteMultipart(2)).toEqual({
      ID: 'abort-incomplete-multipart-uploads',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
    });
  });

  it('publicEndpoint changes only the host browsers are sent to', async () => {
    const pub = createS3Storage({
      region: LOCAL_S3_REGION,
      bucket: BUCKET,
      endpoint: local.endpoint,
      publicEndpoint: `http://localhost:${local.port}`,
      credentials: LOCAL_S3_CREDENTIALS,
    });
    expect(new URL(await pub.presignGet('videos/single.mp4')).host).toBe(`localhost:${local.port}`);
    const form = await pub.presignPostForm({ key: 'k', maxBytes: 10, redirectUrl: `${APP_ORIGIN}/x` });
    expect(form.url).toBe(`http://localhost:${local.port}/${BUCKET}`);
    // Server-side calls still go to `endpoint`.
    expect((await pub.head('videos/single.mp4'))?.size).toBe(4096);
  });

  it('stand-in: unsigned requests are allowed (real S3 answers 403)', async () => {
    const res = await fetch(`${local.endpoint}/${BUCKET}/videos/single.mp4`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });
});
