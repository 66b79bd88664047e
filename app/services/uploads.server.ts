/**
 * Starting and finishing direct-to-S3 uploads. The server picks every key, so a key names
 * who may finalize it: videos/<courseId>/<assignmentId>/<studentId>/<uploadId>.<ext>.
 * The upload id becomes the submission's and the video's id, which is what makes finalize
 * idempotent.
 */
import { z } from 'zod';
import { requireRole } from '~/auth/rbac.server';
import { newId } from '~/data/ids';
import type { Assignment, User } from '~/data/repository';
import { planMultipartParts, type PresignedPostForm } from '~/storage/storage';
import { CONTAINER_CONTENT_TYPES } from '~/storage/video-signature';
import { AppError } from '~/utils/errors';
import { formatBytes } from '~/utils/format';
import { parseInput } from '~/utils/validation';
import { requireAssignmentAccess } from './assignments.server';
import type { ServiceContext } from './context';
import { acceptsSubmissions, isLateAt } from './due-state';

/** Files up to this size go up in one PUT; larger ones in parallel parts. */
export const SINGLE_PUT_MAX_BYTES = 16 * 1024 * 1024;

/** Content type → key extension, from the one container → content-type map. */
const EXTENSIONS: Record<string, string> = Object.fromEntries(
  Object.entries(CONTAINER_CONTENT_TYPES).map(([container, type]) => [type, `.${container}`]),
);

const KEY_PATTERN =
  /^videos\/([0-9A-HJKMNP-TV-Z]{26})\/([0-9A-HJKMNP-TV-Z]{26})\/([0-9A-HJKMNP-TV-Z]{26})\/([0-9A-HJKMNP-TV-Z]{26})\.(mp4|mov|webm|mkv|video)$/;

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

/** The key must be one we issued to this student for this assignment. */
export function requireOwnUploadKey(key: unknown, student: User, assignmentId?: string): UploadKey {
  const parsed = typeof key === 'string' ? parseUploadKey(key) : null;
  if (!parsed)
    throw new AppError('VALIDATION_ERROR', 'fileKey is not an upload key issued by ClassCast.', {
      fields: { fileKey: ['Invalid upload key.'] },
    });
  if (parsed.studentId !== student.id || (assignmentId && parsed.assignmentId !== assignmentId)) {
    throw new AppError('FORBIDDEN', 'That upload does not belong to you or to this assignment.');
  }
  return parsed;
}

const videoContentType = z
  .string({ error: 'contentType is required.' })
  .trim()
  .toLowerCase()
  .regex(/^video\/[a-z0-9.+-]+$/, 'Only video files can be uploaded (video/*).');

export function checkSize(size: number, max: number): void {
  if (size <= 0)
    throw new AppError('VALIDATION_ERROR', 'The file is empty.', { fields: { file: ['The file is empty.'] } });
  if (size > max) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The file is too large (the limit is ${formatBytes(max)}).`, {
      fields: { file: [`The file is too large (the limit is ${formatBytes(max)}).`] },
    });
  }
}

/** The assignment a student may submit to right now (enrolled, published, not closed). */
async function requireSubmittableAssignment(ctx: ServiceContext, actor: User | null, assignmentId: unknown) {
  const student = requireRole(actor, 'student');
  if (typeof assignmentId !== 'string' || !assignmentId) {
    throw new AppError('VALIDATION_ERROR', 'assignmentId is required.', {
      fields: { assignmentId: ['assignmentId is required.'] },
    });
  }
  const { assignment, enrollment } = await requireAssignmentAccess(ctx, student, assignmentId);
  if (enrollment?.role !== 'student')
    throw new AppError('FORBIDDEN', 'Only students enrolled in this course can submit.');
  if (!acceptsSubmissions(assignment)) {
    throw new AppError('CONFLICT', 'This assignment is closed and no longer accepts submissions.');
  }
  await requireMayResubmit(ctx, assignment, student.id);
  return { student, assignment };
}

/**
 * Re-submitting is for before the due date: afterwards a first (late) submission is still
 * accepted, but work already handed in stands.
 */
export async function requireMayResubmit(
  ctx: ServiceContext,
  assignment: Assignment,
  studentId: string,
  exceptSubmissionId?: string,
): Promise<void> {
  if (!isLateAt(assignment, ctx.now())) return;
  const earlier = await ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, studentId, { limit: 2 });
  if (earlier.items.some((s) => s.id !== exceptSubmissionId)) {
    throw new AppError(
      'CONFLICT',
      'The due date has passed, so your earlier submission stands and cannot be replaced.',
    );
  }
}

const startSchema = z.object({
  assignmentId: z.string().min(1),
  fileName: z.string().trim().min(1, 'fileName is required.').max(255),
  contentType: videoContentType,
  /** Optional for the original API's clients, which did not send it: one PUT, checked at finalize. */
  fileSize: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce
      .number({ error: 'fileSize must be a number.' })
      .int('fileSize must be a whole number of bytes.')
      .optional(),
  ),
});

export type StartedUpload =
  | {
      mode: 'single';
      fileKey: string;
      uploadId: string;
      presignedUrl: string;
      headers: Record<string, string>;
      expiresIn: number;
    }
  | {
      mode: 'multipart';
      fileKey: string;
      uploadId: string;
      multipartUploadId: string;
      partSize: number;
      parts: Array<{ partNumber: number; url: string }>;
      expiresIn: number;
    };

export async function startUpload(
  ctx: ServiceContext,
  actor: User | null,
  input: Record<string, unknown>,
): Promise<StartedUpload> {
  const { student, assignment } = await requireSubmittableAssignment(ctx, actor, input.assignmentId);
  const data = parseInput(startSchema, input);
  if (data.fileSize !== undefined) checkSize(data.fileSize, ctx.settings.uploadMaxBytes);
  const upload = makeUploadKey(assignment, student.id, data.contentType);
  if (data.fileSize === undefined || data.fileSize <= SINGLE_PUT_MAX_BYTES) {
    const put = await ctx.storage.presignPut({
      key: upload.key,
      contentType: data.contentType,
      contentLength: data.fileSize,
    });
    return {
      mode: 'single',
      fileKey: upload.key,
      uploadId: upload.uploadId,
      presignedUrl: put.url,
      headers: put.headers,
      expiresIn: put.expiresIn,
    };
  }
  const plan = planMultipartParts(data.fileSize);
  const { uploadId: multipartUploadId } = await ctx.storage.createMultipartUpload({
    key: upload.key,
    contentType: data.contentType,
  });
  const partNumbers = Array.from({ length: plan.partCount }, (_, i) => i + 1);
  const parts = await ctx.storage.presignUploadParts({ key: upload.key, uploadId: multipartUploadId, partNumbers });
  return {
    mode: 'multipart',
    fileKey: upload.key,
    uploadId: upload.uploadId,
    multipartUploadId,
    partSize: plan.partBytes,
    parts,
    expiresIn: 3600,
  };
}

const partsSchema = z.object({
  fileKey: z.string().min(1),
  multipartUploadId: z.string().min(1, 'multipartUploadId is required.'),
  parts: z
    .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1) }))
    .min(1, 'parts is required.')
    .max(10_000)
    .optional(),
  partNumbers: z.array(z.number().int().min(1).max(10_000)).max(10_000).optional(),
});

/** Fresh URLs for parts whose URL expired or whose PUT failed (the browser retries them). */
export async function presignParts(ctx: ServiceContext, actor: User | null, input: unknown) {
  const student = requireRole(actor, 'student');
  const data = parseInput(partsSchema, input);
  const upload = requireOwnUploadKey(data.fileKey, student);
  const parts = await ctx.storage.presignUploadParts({
    key: upload.key,
    uploadId: data.multipartUploadId,
    partNumbers: data.partNumbers ?? [],
  });
  return { parts };
}

export async function completeUpload(ctx: ServiceContext, actor: User | null, input: unknown): Promise<void> {
  const student = requireRole(actor, 'student');
  const data = parseInput(partsSchema, input);
  const upload = requireOwnUploadKey(data.fileKey, student);
  if (!data.parts)
    throw new AppError('VALIDATION_ERROR', 'parts is required.', { fields: { parts: ['parts is required.'] } });
  await ctx.storage.completeMultipartUpload({ key: upload.key, uploadId: data.multipartUploadId, parts: data.parts });
}

export async function abortUpload(ctx: ServiceContext, actor: User | null, input: unknown): Promise<void> {
  const student = requireRole(actor, 'student');
  const data = parseInput(
    partsSchema.pick({ fileKey: true, multipartUploadId: true }).partial({ multipartUploadId: true }),
    input,
  );
  const upload = requireOwnUploadKey(data.fileKey, student);
  if (data.multipartUploadId)
    await ctx.storage.abortMultipartUpload({ key: upload.key, uploadId: data.multipartUploadId });
  // A finished single PUT that will never be finalized: remove it unless it already became a submission.
  if (!(await ctx.repos.submissions.getById(upload.uploadId))) await ctx.storage.delete(upload.key);
}

/** The no-JS form: posts the file straight to S3, which redirects back to the confirm page. */
export async function noJsUploadForm(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
): Promise<PresignedPostForm & { fileKey: string; maxBytes: number }> {
  const { student, assignment } = await requireSubmittableAssignment(ctx, actor, assignmentId);
  // The container is sniffed at finalize; the key's extension is only a hint.
  const upload = makeUploadKey(assignment, student.id, 'video/*');
  const redirectUrl = `${ctx.settings.appUrl}/assignments/${assignment.id}/submit`;
  // A form cannot copy the file's type into a field, so the stored type is a placeholder
  // within video/*; finalize records the type it sniffs from the bytes.
  const form = await ctx.storage.presignPostForm({
    key: upload.key,
    maxBytes: ctx.settings.uploadMaxBytes,
    redirectUrl,
    contentType: 'video/mp4',
  });
  return { ...form, fileKey: upload.key, maxBytes: ctx.settings.uploadMaxBytes };
}
