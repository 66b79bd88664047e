import { describe, expect, it } from 'vitest';
import {
  API,
  PartUploadError,
  UploadCancelledError,
  UploadError,
  abortError,
  finalizeSubmission,
  planParts,
  uploadFile,
  type PostJson,
  type UploadPartFn,
} from './video-upload-client';
import { formatBytes } from '~/utils/format';
import { createProgressTracker, progressLabel, validateFile, type Progress } from './video-upload-progress';
import { createFetchJson } from './video-upload-transport';

const PART = 10;

function fakeFile(size: number, type = 'video/mp4') {
  return new File([new Uint8Array(size)], 'clip.mp4', { type });
}

/** A fake API: records calls, answers multipart (or single) starts and fresh part URLs. */
function fakeApi(opts: { mode?: 'single' | 'multipart'; fileSize: number }) {
  const calls: Array<{ url: string; body: any }> = [];
  const count = Math.ceil(opts.fileSize / PART);
  const postJson: PostJson = async (url, body) => {
    calls.push({ url, body });
    if (url === API.start) {
      if (opts.mode === 'single') {
        return {
          success: true,
          data: {
            mode: 'single',
            fileKey: 'k',
            presignedUrl: 'https://s3/single',
            headers: { 'Content-Type': 'video/mp4' },
          },
        };
      }
      return {
        success: true,
        data: {
          mode: 'multipart',
          fileKey: 'k',
          multipartUploadId: 'mp',
          partSize: PART,
          parts: Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, url: `https://s3/part/${i + 1}` })),
        },
      };
    }
    if (url === API.parts) {
      return {
        success: true,
        data: {
          parts: (body as any).partNumbers.map((n: number) => ({ partNumber: n, url: `https://s3/fresh/${n}` })),
        },
      };
    }
    return { success: true };
  };
  return { calls, postJson };
}

const noSleep = async () => {};

describe('pure helpers', () => {
  it('plans byte ranges from the server answer', () => {
    const plan = planParts(25, 10, [
      { partNumber: 2, url: 'b' },
      { partNumber: 1, url: 'a' },
      { partNumber: 3, url: 'c' },
    ]);
    expect(plan).toEqual([
      { partNumber: 1, url: 'a', start: 0, end: 10 },
      { partNumber: 2, url: 'b', start: 10, end: 20 },
      { partNumber: 3, url: 'c', start: 20, end: 25 },
    ]);
    expect(() => planParts(25, 10, [{ partNumber: 1, url: 'a' }])).toThrow(/part 2 of 3/);
  });

  it('validates files with clear messages', () => {
    expect(validateFile(null, 100)).toMatch(/Choose a video/);
    expect(validateFile({ type: 'image/png', size: 5 }, 100)).toBe('Only video files can be uploaded.');
    expect(validateFile({ type: 'video/mp4', size: 0 }, 100)).toBe('The file is empty.');
    expect(validateFile({ type: 'video/mp4', size: 2 * 1024 ** 3 + 1 }, 2 * 1024 ** 3)).toBe(
      'The file is too large (the limit is 2 GB).',
    );
    expect(validateFile({ type: 'video/mp4', size: 100 }, 100)).toBeNull();
  });

  it('formats sizes and the progress label', () => {
    // Binary units, as the server's limit messages: 2 GiB reads "2 GB" on both sides.
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GB');
    expect(formatBytes(12.3 * 1024 ** 2)).toBe('12.3 MB');
    expect(formatBytes(500 * 1024 ** 2)).toBe('500 MB');
    expect(formatBytes(900)).toBe('900 bytes');
    expect(progressLabel({ loaded: 12.3 * 1024 ** 2, total: 29.3 * 1024 ** 2, percent: 41 })).toBe(
      'Uploading… 41% (12.3 MB of 29.3 MB)',
    );
  });

  it('progress sums finished parts and in-flight bytes, without double counting', () => {
    const seen: Progress[] = [];
    const t = createProgressTracker(25, (p) => seen.push(p));
    t.progress(1, 4, 10);
    t.progress(2, 10, 10); // onprogress at 100% of the part
    expect(t.snapshot().loaded).toBe(14);
    t.done(2, 10);
    expect(t.snapshot().loaded).toBe(14);
    t.reset(1); // part 1 failed: its bytes will be sent again
    expect(t.snapshot().loaded).toBe(10);
    t.done(1, 10);
    t.progress(3, 5, 5);
    expect(t.snapshot()).toEqual({ loaded: 25, total: 25, percent: 100 });
    t.done(3, 5);
    t.done(3, 5); // idempotent
    expect(t.snapshot().loaded).toBe(25);
    expect(seen.every((p) => p.loaded <= 25)).toBe(true);
  });
});

describe('uploadFile', () => {
  it('uploads parts with at most 4 in flight, reports progress, and completes with the ETags', async () => {
    const file = fakeFile(95); // 10 parts
    const api = fakeApi({ fileSize: 95 });
    let inFlight = 0;
    let maxInFlight = 0;
    const uploadPart: UploadPartFn = async (url, blob, onProgress) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      onProgress(blob.size);
      inFlight--;
      return { etag: `"etag-${url.split('/').pop()}"` };
    };
    const seen: Progress[] = [];
    const result = await uploadFile({
      file,
      assignmentId: 'a1',
      deps: { postJson: api.postJson, uploadPart, sleep: noSleep },
      onProgress: (p) => seen.push(p),
    });

    expect(result).toEqual({ fileKey: 'k' });
    expect(maxInFlight).toBe(4);
    expect(api.calls[0]).toEqual({
      url: API.start,
      body: { assignmentId: 'a1', fileName: 'clip.mp4', contentType: 'video/mp4', fileSize: 95 },
    });
    const complete = api.calls.find((c) => c.url === API.complete)!;
    expect(complete.body.multipartUploadId).toBe('mp');
    expect(complete.body.parts).toHaveLength(10);
    expect(complete.body.parts[9]).toEqual({ partNumber: 10, etag: '"etag-10"' });
    expect(seen.at(-1)).toEqual({ loaded: 95, total: 95, percent: 100 });
    for (let i = 1; i < seen.length; i++) expect(seen[i].loaded).toBeGreaterThanOrEqual(seen[i - 1].loaded);
  });

  it('retries a failing part with backoff, asks for a fresh URL on the second retry, then succeeds', async () => {
    const file = fakeFile(25);
    const api = fakeApi({ fileSize: 25 });
    const urlsForPart2: string[] = [];
    const sleeps: number[] = [];
    const uploadPart: UploadPartFn = async (url, blob, onProgress) => {
      if (url.endsWith('/2')) {
        urlsForPart2.push(url);
        if (urlsForPart2.length < 3) {
          onProgress(3);
          throw new PartUploadError(500);
        }
      }
      onProgress(blob.size);
      return { etag: `e-${url}` };
    };
    const seen: Progress[] = [];
    await uploadFile({
      file,
      assignmentId: 'a1',
      deps: { postJson: api.postJson, uploadPart, sleep: async (ms) => void sleeps.push(ms) },
      onProgress: (p) => seen.push(p),
      backoffMs: 100,
    });
    expect(urlsForPart2).toEqual(['https://s3/part/2', 'https://s3/part/2', 'https://s3/fresh/2']);
    expect(sleeps).toEqual([100, 200]);
    expect(api.calls.filter((c) => c.url === API.parts).map((c) => c.body)).toEqual([
      { fileKey: 'k', multipartUploadId: 'mp', partNumbers: [2] },
    ]);
    const complete = api.calls.find((c) => c.url === API.complete)!;
    expect(complete.body.parts[1]).toEqual({ partNumber: 2, etag: 'e-https://s3/fresh/2' });
    expect(seen.at(-1)?.loaded).toBe(25);
    expect(api.calls.some((c) => c.url === API.abort)).toBe(false);
  });

  it('fails the upload with a clear message when a part fails 3 times, and drops the upload', async () => {
    const file = fakeFile(25);
    const api = fakeApi({ fileSize: 25 });
    let attempts = 0;
    const uploadPart: UploadPartFn = async (url, blob) => {
      if (url.endsWith('/3')) {
        attempts++;
        throw new PartUploadError(0);
      }
      return { etag: `e-${blob.size}` };
    };
    const promise = uploadFile({
      file,
      assignmentId: 'a1',
      deps: { postJson: api.postJson, uploadPart, sleep: noSleep },
    });
    await expect(promise).rejects.toBeInstanceOf(UploadError);
    await expect(promise).rejects.toThrow('Part 3 of 3 could not be uploaded after 3 attempts');
    expect(attempts).toBe(3);
    expect(api.calls.some((c) => c.url === API.complete)).toBe(false);
    expect(api.calls.find((c) => c.url === API.abort)?.body).toEqual({ fileKey: 'k', multipartUploadId: 'mp' });
  });

  it('treats a missing ETag as a failed part (CORS must expose it)', async () => {
    const api = fakeApi({ fileSize: 5 });
    const uploadPart: UploadPartFn = async () => ({ etag: null });
    await expect(
      uploadFile({
        file: fakeFile(5),
        assignmentId: 'a1',
        deps: { postJson: api.postJson, uploadPart, sleep: noSleep },
      }),
    ).rejects.toThrow(/ETag/);
  });

  it('cancel aborts parts in flight, starts no further part, and calls abort', async () => {
    const file = fakeFile(95); // 10 parts
    const api = fakeApi({ fileSize: 95 });
    const controller = new AbortController();
    const started: string[] = [];
    let abortedInFlight = 0;
    const uploadPart: UploadPartFn = (url, _blob, _onProgress, options) =>
      new Promise((_resolve, reject) => {
        started.push(url);
        options?.signal?.addEventListener('abort', () => {
          abortedInFlight++;
          reject(abortError());
        });
        if (started.length === 4) setTimeout(() => controller.abort(), 1);
      });
    const promise = uploadFile({
      file,
      assignmentId: 'a1',
      deps: { postJson: api.postJson, uploadPart, sleep: noSleep },
      signal: controller.signal,
    });
    await expect(promise).rejects.toBeInstanceOf(UploadCancelledError);
    await expect(promise).rejects.toThrow('Upload cancelled.');
    expect(started).toHaveLength(4);
    expect(abortedInFlight).toBe(4);
    expect(api.calls.find((c) => c.url === API.abort)?.body).toEqual({ fileKey: 'k', multipartUploadId: 'mp' });
    expect(api.calls.some((c) => c.url === API.complete)).toBe(false);
  });

  it('cancel during a backoff stops the retry', async () => {
    const api = fakeApi({ fileSize: 5 });
    const controller = new AbortController();
    let attempts = 0;
    const uploadPart: UploadPartFn = async () => {
      attempts++;
      setTimeout(() => controller.abort(), 1);
      throw new PartUploadError(503);
    };
    await expect(
      uploadFile({
        file: fakeFile(5),
        assignmentId: 'a1',
        deps: { postJson: api.postJson, uploadPart },
        signal: controller.signal,
        backoffMs: 10_000,
      }),
    ).rejects.toBeInstanceOf(UploadCancelledError);
    expect(attempts).toBe(1);
  });

  it('single mode PUTs the whole file with the server headers and no complete call', async () => {
    const file = fakeFile(7);
    const api = fakeApi({ mode: 'single', fileSize: 7 });
    const puts: Array<{ url: string; size: number; headers?: Record<string, string> }> = [];
    const uploadPart: UploadPartFn = async (url, blob, onProgress, options) => {
      puts.push({ url, size: blob.size, headers: options?.headers });
      onProgress(blob.size);
      return { etag: null };
    };
    const seen: Progress[] = [];
    await uploadFile({
      file,
      assignmentId: 'a1',
      deps: { postJson: api.postJson, uploadPart, sleep: noSleep },
      onProgress: (p) => seen.push(p),
    });
    expect(puts).toEqual([{ url: 'https://s3/single', size: 7, headers: { 'Content-Type': 'video/mp4' } }]);
    expect(api.calls.map((c) => c.url)).toEqual([API.start]);
    expect(seen.at(-1)?.percent).toBe(100);
  });

  it('surfaces the server error message from the start call', async () => {
    const fetchFn = (async () =>
      new Response(JSON.stringify({ success: false, error: 'This assignment is closed.', code: 'FORBIDDEN' }), {
        status: 403,
      })) as typeof fetch;
    const uploadPart: UploadPartFn = async () => ({ etag: 'x' });
    await expect(
      uploadFile({ file: fakeFile(5), assignmentId: 'a1', deps: { postJson: createFetchJson(fetchFn), uploadPart } }),
    ).rejects.toThrow('This assignment is closed.');
  });
});

describe('finalizeSubmission', () => {
  it('posts the metadata, omits an unknown duration and returns the submission id', async () => {
    const bodies: any[] = [];
    const postJson: PostJson = async (url, body) => {
      bodies.push({ url, body });
      return { success: true, submission: { id: 's1', videoId: 'v1' } };
    };
    const input = {
      assignmentId: 'a1',
      courseId: 'c1',
      fileKey: 'k',
      videoTitle: 'T',
      videoDescription: '',
      fileName: 'clip.mp4',
      fileSize: 5,
      fileType: 'video/mp4',
    };
    expect(await finalizeSubmission(postJson, { ...input, duration: undefined })).toEqual({ id: 's1', videoId: 'v1' });
    expect(bodies[0].url).toBe(API.finalize);
    expect('duration' in bodies[0].body).toBe(false);
    await finalizeSubmission(postJson, { ...input, duration: 12.5 });
    expect(bodies[1].body.duration).toBe(12.5);
  });
});
