/**
 * Browser side of the direct-to-S3 video upload (used by video-upload.tsx).
 *
 * The orchestration (start → PUT single object or parts → complete → finalize) only talks
 * to injected transports, so it runs under vitest in node with fakes. The real transports
 * (`createFetchJson`, `xhrUploadPart`, `readVideoDuration`) touch browser APIs only when
 * called, never at import.
 */

import { createProgressTracker, type Progress } from './video-upload-progress';
export const DEFAULT_CONCURRENCY = 4;
/** Tries per part: the first PUT plus two retries; the last one uses a fresh URL. */
export const MAX_PART_ATTEMPTS = 3;
export const BACKOFF_BASE_MS = 500;

export const API = {
  start: '/api/videos/upload',
  parts: '/api/videos/upload/parts',
  complete: '/api/videos/upload/complete',
  abort: '/api/videos/upload/abort',
  finalize: '/api/video-submissions',
} as const;

/** A message meant for the person uploading. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** The person pressed Cancel. */
export class UploadCancelledError extends Error {
  constructor() {
    super('Upload cancelled.');
    this.name = 'UploadCancelledError';
  }
}

/** A PUT to storage answered with an error status (0: network error). */
export class PartUploadError extends Error {
  constructor(
    readonly status: number,
    message = status ? `Storage answered ${status}.` : 'Network error while sending to storage.',
  ) {
    super(message);
    this.name = 'PartUploadError';
  }
}

export function abortError(): Error {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

// ---------------------------------------------------------------------------------------
// Transports

/** POSTs JSON to our API; resolves with the parsed envelope, throws UploadError otherwise. */
export type PostJson = (url: string, body: unknown, signal?: AbortSignal) => Promise<Record<string, unknown>>;

/** PUTs one blob to storage, reports bytes sent of that blob, resolves with its ETag. */
export type UploadPartFn = (
  url: string,
  blob: Blob,
  onProgress: (loadedBytes: number) => void,
  options?: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<{ etag: string | null }>;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

// ---------------------------------------------------------------------------------------
// Part planning

export interface PlannedPart {
  partNumber: number;
  url: string;
  start: number;
  end: number;
}

/** Byte ranges for every part of the file, with the URLs the server presigned. */
export function planParts(
  fileSize: number,
  partSize: number,
  parts: Array<{ partNumber: number; url: string }>,
): PlannedPart[] {
  if (!Number.isInteger(partSize) || partSize <= 0) throw new UploadError('The server sent an invalid part size.');
  const count = Math.max(1, Math.ceil(fileSize / partSize));
  const urls = new Map(parts.map((p) => [p.partNumber, p.url]));
  const plan: PlannedPart[] = [];
  for (let n = 1; n <= count; n++) {
    const url = urls.get(n);
    if (!url) throw new UploadError(`The server did not send an upload URL for part ${n} of ${count}.`);
    plan.push({ partNumber: n, url, start: (n - 1) * partSize, end: Math.min(n * partSize, fileSize) });
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// Server answers

export type StartAnswer =
  | { mode: 'single'; fileKey: string; presignedUrl: string; headers: Record<string, string> }
  | {
      mode: 'multipart';
      fileKey: string;
      multipartUploadId: string;
      partSize: number;
      parts: Array<{ partNumber: number; url: string }>;
    };

export function parseStartAnswer(envelope: Record<string, unknown>): StartAnswer {
  const data = envelope.data as Record<string, unknown> | undefined;
  const bad = () => new UploadError('The server sent an upload answer we could not understand. Please try again.');
  if (!data || typeof data !== 'object' || typeof data.fileKey !== 'string') throw bad();
  if (data.mode === 'single' && typeof data.presignedUrl === 'string') {
    const headers = data.headers && typeof data.headers === 'object' ? (data.headers as Record<string, string>) : {};
    return { mode: 'single', fileKey: data.fileKey, presignedUrl: data.presignedUrl, headers };
  }
  if (
    data.mode === 'multipart' &&
    typeof data.multipartUploadId === 'string' &&
    typeof data.partSize === 'number' &&
    Array.isArray(data.parts)
  ) {
    return {
      mode: 'multipart',
      fileKey: data.fileKey,
      multipartUploadId: data.multipartUploadId,
      partSize: data.partSize,
      parts: data.parts as Array<{ partNumber: number; url: string }>,
    };
  }
  throw bad();
}

// ---------------------------------------------------------------------------------------
// Orchestration

export type UploadPhase = 'starting' | 'uploading' | 'completing' | 'finalizing';

export interface UploadDeps {
  postJson: PostJson;
  uploadPart: UploadPartFn;
  sleep?: Sleep;
}

export interface UploadFileOptions {
  file: Blob & { name: string };
  assignmentId: string;
  deps: UploadDeps;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  onPhase?: (phase: UploadPhase) => void;
  concurrency?: number;
  maxAttempts?: number;
  backoffMs?: number;
}

/**
 * Sends the file to storage and resolves with its `fileKey`. Cancel (signal) aborts every PUT,
 * launches no further part, tells the server to drop the upload and throws UploadCancelledError.
 * Any other failure also drops the upload (best effort) and throws an UploadError.
 */
export async function uploadFile(options: UploadFileOptions): Promise<{ fileKey: string }> {
  const { file, assignmentId, deps, signal, onProgress, onPhase } = options;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const maxAttempts = Math.max(1, options.maxAttempts ?? MAX_PART_ATTEMPTS);
  const backoffMs = options.backoffMs ?? BACKOFF_BASE_MS;
  const wait = deps.sleep ?? sleep;

  if (signal?.aborted) throw new UploadCancelledError();
  onPhase?.('starting');
  let answer: StartAnswer;
  try {
    const envelope = await deps.postJson(
      API.start,
      { assignmentId, fileName: file.name, contentType: file.type, fileSize: file.size },
      signal,
    );
    answer = parseStartAnswer(envelope);
  } catch (error) {
    if (signal?.aborted || isAbortError(error)) throw new UploadCancelledError();
    throw error;
  }

  const multipartUploadId = answer.mode === 'multipart' ? answer.multipartUploadId : undefined;
  const dropUpload = async () => {
    try {
      await deps.postJson(
        API.abort,
        multipartUploadId ? { fileKey: answer.fileKey, multipartUploadId } : { fileKey: answer.fileKey },
      );
    } catch {
      // best effort: the server's lifecycle rules clean up what we could not
    }
  };

  // Stops the other parts on the first fatal error, and follows the Cancel button.
  const inner = new AbortController();
  const onCancel = () => inner.abort();
  signal?.addEventListener('abort', onCancel, { once: true });
  if (signal?.aborted) inner.abort();

  const tracker = createProgressTracker(file.size, onProgress);

  const plan: PlannedPart[] =
    answer.mode === 'single'
      ? [{ partNumber: 1, url: answer.presignedUrl, start: 0, end: file.size }]
      : planParts(file.size, answer.partSize, answer.parts);
  const describe = (n: number) => (answer.mode === 'single' ? 'The video' : `Part ${n} of ${plan.length}`);

  const sendWithRetry = async (part: PlannedPart): Promise<string | null> => {
    const size = part.end - part.start;
    const blob = answer.mode === 'single' ? file : file.slice(part.start, part.end);
    let url = part.url;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (inner.signal.aborted) throw abortError();
      if (attempt > 1) {
        await wait(backoffMs * 2 ** (attempt - 2), inner.signal);
        // From the second retry on, the URL may have expired or be bad: ask for a fresh one.
        if (attempt >= 3 && answer.mode === 'multipart') {
          try {
            const fresh = await deps.postJson(
              API.parts,
              { fileKey: answer.fileKey, multipartUploadId, partNumbers: [part.partNumber] },
              inner.signal,
            );
            const parts =
              (fresh.data as { parts?: Array<{ partNumber: number; url: string }> } | undefined)?.parts ?? [];
            url = parts.find((p) => p.partNumber === part.partNumber)?.url ?? url;
          } catch (error) {
            if (isAbortError(error) || inner.signal.aborted) throw abortError();
            // keep the old URL; the attempt below decides
          }
        }
      }
      try {
        const { etag } = await deps.uploadPart(url, blob, (loaded) => tracker.progress(part.partNumber, loaded, size), {
          signal: inner.signal,
          headers: answer.mode === 'single' ? answer.headers : undefined,
        });
        if (answer.mode === 'multipart' && !etag) {
          throw new UploadError(
            'Storage did not return an ETag for an uploaded part (is ETag exposed by its CORS rules?).',
          );
        }
        tracker.done(part.partNumber, size);
        return etag;
      } catch (error) {
        tracker.reset(part.partNumber);
        if (isAbortError(error) || inner.signal.aborted) throw abortError();
        lastError = error;
      }
    }
    const detail = lastError instanceof Error && lastError.message ? ` (${lastError.message})` : '';
    throw new UploadError(
      `${describe(part.partNumber)} could not be uploaded after ${maxAttempts} attempts${detail}. Check your connection and try again.`,
    );
  };

  onPhase?.('uploading');
  const etags = new Map<number, string>();
  const queue = [...plan];
  let failure: unknown = null;
  const worker = async () => {
    while (queue.length && !inner.signal.aborted) {
      const part = queue.shift()!;
      try {
        const etag = await sendWithRetry(part);
        if (etag) etags.set(part.partNumber, etag);
      } catch (error) {
        if (!failure) failure = error;
        inner.abort();
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  } finally {
    signal?.removeEventListener('abort', onCancel);
  }

  if (signal?.aborted) {
    await dropUpload();
    throw new UploadCancelledError();
  }
  if (failure) {
    await dropUpload();
    throw failure instanceof UploadError ? failure : new UploadError('The upload failed. Please try again.');
  }

  if (answer.mode === 'multipart') {
    onPhase?.('completing');
    try {
      await deps.postJson(
        API.complete,
        {
          fileKey: answer.fileKey,
          multipartUploadId,
          parts: plan.map((p) => ({ partNumber: p.partNumber, etag: etags.get(p.partNumber)! })),
        },
        // no signal: past this point Cancel is no longer offered (the object may already exist)
      );
    } catch (error) {
      await dropUpload();
      throw error;
    }
  }
  return { fileKey: answer.fileKey };
}

export interface FinalizeInput {
  assignmentId: string;
  courseId: string;
  fileKey: string;
  videoTitle: string;
  videoDescription: string;
  fileName: string;
  fileSize: number;
  fileType: string;
  duration?: number;
}

/** Records the submission; resolves with its id (for /submissions/:id). */
export async function finalizeSubmission(
  postJson: PostJson,
  input: FinalizeInput,
): Promise<{ id: string; videoId?: string }> {
  const body: Record<string, unknown> = { ...input };
  if (input.duration === undefined || !Number.isFinite(input.duration)) delete body.duration;
  const envelope = await postJson(API.finalize, body);
  const submission = envelope.submission as { id?: unknown; videoId?: unknown } | undefined;
  if (!submission || typeof submission.id !== 'string') {
    throw new UploadError(
      'Your video was uploaded, but the submission could not be confirmed. Please reload the page.',
    );
  }
  return { id: submission.id, videoId: typeof submission.videoId === 'string' ? submission.videoId : undefined };
}
