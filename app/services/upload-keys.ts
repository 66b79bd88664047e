/**
 * Upload keys: the server picks every key, so a key names who may finalize it:
 * videos/<courseId>/<assignmentId>/<studentId>/<uploadId>.<ext>. The upload id becomes the
 * submission's and the video's id, which is what makes finalize idempotent. Whether a key
 * belongs to the caller is decided in access.server.ts.
 */
import { newId } from '~/data/ids';
import type { Assignment } from '~/data/repository';
import { CONTAINER_CONTENT_TYPES } from '~/storage/video-signature';

/** Content type → key extension, from the one container → content-type map. */
const EXTENSIONS: Record<string, string> = Object.fromEntries(
  Object.entries(CONTAINER_CONTENT_TYPES).map(([container, type]) => [type, `.${container}`]),
);

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
const KEY_PATTERN = new RegExp(`^videos/(${ULID})/(${ULID})/(${ULID})/(${ULID})\\.(mp4|mov|webm|mkv|video)$`);

export interface UploadKey {
  courseId: string;
  assignmentId: string;
  studentId: string;
  uploadId: string;
  key: string;
}

export function makeUploadKey(
  a: Pick<Assignment, 'courseId' | 'id'>,
  studentId: string,
  contentType: string,
): UploadKey {
  const uploadId = newId();
  const ext = EXTENSIONS[contentType] ?? '.video';
  const key = `videos/${a.courseId}/${a.id}/${studentId}/${uploadId}${ext}`;
  return { courseId: a.courseId, assignmentId: a.id, studentId, uploadId, key };
}

export function parseUploadKey(key: string): UploadKey | null {
  const m = KEY_PATTERN.exec(key);
  return m ? { courseId: m[1], assignmentId: m[2], studentId: m[3], uploadId: m[4], key } : null;
}
