/**
 * The browser's real transports for video-upload-client.ts: fetch for our JSON API, XHR for
 * PUTs to storage (fetch reports no upload progress), a hidden <video> for the duration.
 */
import {
  abortError,
  isAbortError,
  PartUploadError,
  UploadError,
  type PostJson,
  type UploadPartFn,
} from './video-upload-client';

/** Same-origin JSON POST (cookies go along: this is our app, not S3). */
export function createFetchJson(fetchFn: typeof fetch = (...args) => fetch(...args)): PostJson {
  return async (url, body, signal) => {
    let res: Response;
    try {
      res = await fetchFn(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new UploadError('Could not reach ClassCast. Check your connection and try again.');
    }
    let payload: unknown = null;
    try {
      payload = await res.json();
    } catch (error) {
      if (isAbortError(error)) throw error;
    }
    const envelope = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
    if (!res.ok || envelope.success === false) {
      const message =
        typeof envelope.error === 'string' && envelope.error
          ? envelope.error
          : res.status === 401
            ? 'Your session has expired. Sign in again and retry.'
            : `The request failed (${res.status}). Please try again.`;
      throw new UploadError(message, res.status, typeof envelope.code === 'string' ? envelope.code : undefined);
    }
    return envelope;
  };
}

/** XHR PUT (fetch has no upload progress). No cookies go to storage. */
export const xhrUploadPart: UploadPartFn = (url, blob, onProgress, options = {}) =>
  new Promise((resolve, reject) => {
    const { signal, headers } = options;
    if (signal?.aborted) return reject(abortError());
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.open('PUT', url);
    xhr.withCredentials = false;
    for (const [name, value] of Object.entries(headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) resolve({ etag: xhr.getResponseHeader('ETag') });
      else reject(new PartUploadError(xhr.status));
    };
    xhr.onerror = () => {
      done();
      reject(new PartUploadError(0));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(blob);
  });

/** Best effort: the video's length in seconds from a hidden <video>, or undefined after 3 s. */
export function readVideoDuration(file: Blob, timeoutMs = 3000): Promise<number | undefined> {
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    let settled = false;
    const finish = (value: number | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () =>
      finish(Number.isFinite(video.duration) && video.duration >= 0 ? video.duration : undefined);
    video.onerror = () => finish(undefined);
    video.src = url;
  });
}
