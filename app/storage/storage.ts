/**
 * The storage PORT: everything the services need from object storage for video uploads and
 * playback, and nothing else. Services depend on this file only, never on a vendor SDK; the
 * S3 adapter (s3.server.ts) implements it for AWS S3, MinIO and the local s3rver stand-in.
 *
 * Design rules behind the shape:
 * - Bytes never pass through the app. Uploads and playback happen between the browser and S3
 *   with short-lived presigned URLs/forms; the app only signs, checks and cleans up.
 * - The app never trusts the client. Whatever the browser claims (size, type, ETags), the
 *   finalize step re-reads the truth with `head` and `readFirstBytes` before recording anything.
 * - Keys are chosen by the server (never by the client), so every method takes a full key.
 *
 * This module holds only types, the S3 limits every adapter shares, a pure part-size
 * planner, and the error type services can map to HTTP statuses.
 */

/** Limits imposed by the S3 protocol (AWS documents them; MinIO follows them). */
export const S3_LIMITS = {
  /** Every part but the last must be at least this big (real S3 rejects Complete otherwise). */
  minPartBytes: 5 * 1024 * 1024,
  maxPartBytes: 5 * 1024 * 1024 * 1024,
  maxParts: 10_000,
  /** Largest object a single PUT or POST may create. */
  maxSinglePutBytes: 5 * 1024 * 1024 * 1024,
  /** Largest object overall (multipart). */
  maxObjectBytes: 5 * 1024 * 1024 * 1024 * 1024,
  /** SigV4 presigned URLs cannot live longer than 7 days. */
  maxPresignSeconds: 7 * 24 * 3600,
} as const;

export interface PresignedRequest {
  url: string;
  /** Headers the client MUST send verbatim: they are part of the signature. */
  headers: Record<string, string>;
  /** Seconds from now until the URL stops working. */
  expiresIn: number;
}

export interface PresignedPart {
  partNumber: number;
  url: string;
}

export interface CompletedPart {
  partNumber: number;
  /** The ETag response header of that part's PUT, quotes included or not. */
  etag: string;
}

export interface PresignedPostForm {
  /** The form's `action` (the bucket URL). */
  url: string;
  /**
   * Hidden inputs to render, in this order, BEFORE the file input. S3 ignores every field
   * after the file, and the file input must be named `file`.
   */
  fields: Record<string, string>;
}

export interface ObjectInfo {
  /** Bytes actually stored: the only size the app may believe. */
  size: number;
  /** The Content-Type stored with the object (what the uploader declared; sniff to verify). */
  contentType: string | null;
  /** Without surrounding quotes. Multipart ETags are not an MD5 of the content. */
  etag: string | null;
}

export interface VideoStorage {
  /**
   * One presigned PUT, for files small enough that splitting them buys nothing (and always
   * below S3_LIMITS.maxSinglePutBytes). Content-Type and Content-Length are signed, so S3
   * refuses a body of another size or declared type than the one the server approved.
   */
  presignPut(input: {
    key: string;
    contentType: string;
    /** Signed when given; when not (original API clients), finalize checks the size. */
    contentLength?: number;
    /** Default 3600. */
    expiresInSeconds?: number;
  }): Promise<PresignedRequest>;

  /**
   * Starts a multipart upload for large files: parts are PUT in parallel and retried one by
   * one, so a dropped connection costs one part, not the whole file. The content type is
   * fixed here, once, by the server.
   */
  createMultipartUpload(input: { key: string; contentType: string }): Promise<{ uploadId: string }>;

  /**
   * Presigned URLs for some parts of an upload. The browser PUTs each part's bytes to its URL
   * and reads the ETag response header (exposed by the bucket's CORS rule). Ask again for a
   * part whose URL expired or whose PUT failed: the URLs are cheap and nothing is stored.
   */
  presignUploadParts(input: {
    key: string;
    uploadId: string;
    /** 1..10000. */
    partNumbers: number[];
    /** Default 3600. */
    expiresInSeconds?: number;
  }): Promise<PresignedPart[]>;

  /**
   * Assembles the parts into the object. Only after this does the object exist; until then
   * nothing is visible at the key. Parts may be given in any order. Throws StorageError
   * `NoSuchUpload` / `InvalidPart` / `EntityTooSmall` for bad client input.
   */
  completeMultipartUpload(input: {
    key: string;
    uploadId: string;
    parts: CompletedPart[];
  }): Promise<{ etag: string | null }>;

  /**
   * Frees the stored parts of an upload the user cancelled or that failed. Safe to call twice.
   * Uploads nobody aborts are removed by the bucket lifecycle rule (see s3.server.ts).
   */
  abortMultipartUpload(input: { key: string; uploadId: string }): Promise<void>;

  /**
   * A presigned POST policy for the no-JS upload: a plain HTML form posts the file straight
   * to S3, which enforces the policy (exact key, size range 1..maxBytes, Content-Type prefix)
   * and then 303-redirects the browser to `redirectUrl` with `bucket`, `key` and `etag` added
   * to its query. The policy also pins `redirectUrl` exactly.
   *
   * A browser form cannot set the Content-Type field from the chosen file. Either pass
   * `contentType` (it becomes a hidden field) or render your own input named `Content-Type`
   * (e.g. a select) whose value starts with the prefix. Finalize sniffs the real container
   * anyway, and playback can override the served type (presignGet `responseContentType`).
   */
  presignPostForm(input: {
    key: string;
    maxBytes: number;
    redirectUrl: string;
    /** Default 'video/'. */
    contentTypePrefix?: string;
    /** Fixed Content-Type to put into the fields (must start with the prefix). */
    contentType?: string;
    /** Default 3600. */
    expiresInSeconds?: number;
  }): Promise<PresignedPostForm>;

  /** The object's real size and type as stored, or null if there is no object at the key. */
  head(key: string): Promise<ObjectInfo | null>;

  /** One cheap call that proves the bucket is reachable with our credentials (/readyz); throws otherwise. */
  ping(): Promise<void>;

  /**
   * The first `count` bytes (fewer if the object is shorter, empty for an empty object), with
   * one ranged GET: enough to check a container signature without downloading the video.
   * Throws StorageError `NotFound` if there is no object.
   */
  readFirstBytes(key: string, count: number): Promise<Uint8Array>;

  /** Removes the object; deleting a missing key is not an error (S3 semantics). */
  delete(key: string): Promise<void>;

  /**
   * A short-lived URL for <video src>: the browser fetches from S3 directly, with Range
   * requests, so seeking works. Default lifetime 900 s: a page reload gets a fresh one.
   */
  presignGet(
    key: string,
    opts?: {
      expiresInSeconds?: number;
      /** Served as an attachment with this file name (for a download link). */
      downloadName?: string;
      /** Overrides the stored Content-Type in the response (e.g. the sniffed container's). */
      responseContentType?: string;
    },
  ): Promise<string>;
}

export type StorageErrorCode =
  /** No object at the key (readFirstBytes). */
  | 'NotFound'
  /** The multipart upload does not exist: wrong id, already completed or aborted. */
  | 'NoSuchUpload'
  /** A listed part was never uploaded, or its ETag does not match. */
  | 'InvalidPart'
  /** A part other than the last is below S3_LIMITS.minPartBytes. */
  | 'EntityTooSmall'
  /** Bad arguments from the caller (part numbers, sizes, expiry out of range). */
  | 'InvalidArgument'
  /** Anything else: the storage service failed or refused (credentials, network, 5xx). */
  | 'Unavailable';

/** The only error type the adapter throws, so services can answer 4xx vs 5xx without an SDK. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

/**
 * Part size and count for a multipart upload of `totalBytes`: the preferred size (default
 * 16 MiB) unless that would need more than 10 000 parts, then the smallest whole-MiB size that
 * fits. The server decides this (the client only follows), so S3's limits hold whatever the
 * client does.
 */
export function planMultipartParts(
  totalBytes: number,
  preferredPartBytes = 16 * 1024 * 1024,
): { partBytes: number; partCount: number } {
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 1 || totalBytes > S3_LIMITS.maxObjectBytes) {
    throw new StorageError('InvalidArgument', `cannot plan an upload of ${totalBytes} bytes`);
  }
  const mib = 1024 * 1024;
  let partBytes = Math.max(preferredPartBytes, S3_LIMITS.minPartBytes);
  if (Math.ceil(totalBytes / partBytes) > S3_LIMITS.maxParts) {
    partBytes = Math.ceil(totalBytes / S3_LIMITS.maxParts / mib) * mib;
  }
  partBytes = Math.min(partBytes, S3_LIMITS.maxPartBytes);
  return { partBytes, partCount: Math.max(1, Math.ceil(totalBytes / partBytes)) };
}
