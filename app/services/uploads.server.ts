/**
 * Starting and finishing direct-to-S3 uploads. The server picks every key (upload-keys.ts),
 * so a key names who may use it; finalize (finalize.server.ts) records the submission.
 */
import { z } from 'zod';
import type { User } from '~/data/repository';
import { planMultipartParts, type PresignedPostForm } from '~/storage/storage';
import { AppError } from '~/utils/errors';
import { formatBytes } from '~/utils/format';
import { parseInput } from '~/utils/validation';
import { requireOwnUploadKey, requireRole, requireSubmitter } from './access.server';
import type { ServiceContext } from './context';
import { makeUploadKey } from './upload-keys';

/** Files up to this size go up in one PUT; larger ones in parallel parts. */
export const SINGLE_PUT_MAX_BYTES = 16 * 1024 * 1024;

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

/** The assignment a student may submit to right now (enrolled, published, may (re-)submit). */
async function requireSubmittableAssignment(ctx: ServiceContext, actor: User | null, assignmentId: unknown) {
  requireRole(actor, 'student');
  if (typeof assignmentId !== 'string' || !assignmentId) {
    throw new AppError('VALIDATION_ERROR', 'assignmentId is required.', {
      fields: { assignmentId: ['assignmentId is required.'] },
    });
  }
  const { user: student, assignment, refusal } = await requireSubmitter(ctx, actor, assignmentId);
  if (refusal) throw refusal;
  return { student, assignment };
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

/** S3 upload ids are opaque but URL-safe; anything else is not one S3 gave us. */
const uploadIdSchema = z
  .string({ error: 'multipartUploadId is required.' })
  .min(1, 'multipartUploadId is required.')
  .max(1024, 'multipartUploadId is too long.')
  .regex(/^[A-Za-z0-9._~+/=-]+$/, 'multipartUploadId is not a valid upload id.');

const partsSchema = z.object({
  fileKey: z.string().min(1),
  multipartUploadId: uploadIdSchema,
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
