/**
 * Finalize: the one module holding the rules for turning an uploaded object into a
 * submission. Order matters and is the point of this file:
 *   1. who: an enrolled student, an assignment they can see, a key issued to them for it;
 *   2. a retry of a finalize that already succeeded answers the same submission (theirs);
 *   3. may they submit now (published; no replacement after the due date);
 *   4. the object itself: it exists, its size, its type, its first bytes are a video.
 * Refusals from 3 and 4 delete the object (it is the caller's, proved in 1): nothing
 * half-written survives. Refusals from 1 touch nothing.
 */
import { z } from 'zod';
import type { User } from '~/data/repository';
import { CONTAINER_CONTENT_TYPES, detectVideoContainer, SIGNATURE_BYTES } from '~/storage/video-signature';
import { AppError, forbidden } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import { recordFinalizeOutcome } from '~/utils/metrics.server';
import { requireOwnUploadKey, requireRole, requireSubmitter } from './access.server';
import type { ServiceContext } from './context';
import { isLateAt } from './due-state';
import { toSubmissionView, type SubmissionView } from './submissions.server';
import { parseUploadKey } from './upload-keys';
import { checkSize } from './uploads.server';
import { crashPoint } from '~/utils/crash-points.server';

const finalizeSchema = z.object({
  assignmentId: z.string({ error: 'assignmentId is required.' }).min(1, 'assignmentId is required.'),
  courseId: z.string().optional(),
  fileKey: z.string({ error: 'fileKey is required.' }).min(1, 'fileKey is required.'),
  videoTitle: z.string().trim().max(200, tooLongMessage('Title', 200)).optional(),
  videoDescription: z.string().trim().max(5000, tooLongMessage('Description', 5000)).optional(),
  fileName: z.string().trim().max(255).optional(),
  duration: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce.number().min(0).max(86_400).optional(),
  ),
});

/** Deletes an upload we refuse, then throws why. Only ever called on the caller's own key. */
async function reject(ctx: ServiceContext, key: string, error: AppError): Promise<never> {
  await ctx.storage.delete(key).catch(() => undefined);
  throw error;
}

/** Steps 1: the caller, the assignment, and a key issued to them for it. */
async function requireFinalizer(ctx: ServiceContext, actor: User | null, assignmentId: string, fileKey: unknown) {
  const student = requireRole(actor, 'student');
  // Membership first: a non-member learns nothing, not even whether the key is well formed.
  // The upload id only tells the "may submit now" rule which submission a retry would be.
  const uploadId = typeof fileKey === 'string' ? parseUploadKey(fileKey)?.uploadId : undefined;
  const access = await requireSubmitter(ctx, student, assignmentId, uploadId);
  const upload = requireOwnUploadKey(fileKey, student, access.assignment);
  return { ...access, upload };
}

/** Finalizes, counting the outcome for /metrics: created, repeated (a retry), or the error code. */
export async function finalizeSubmission(
  ctx: ServiceContext,
  actor: User | null,
  input: Record<string, unknown>,
): Promise<{ submission: SubmissionView; created: boolean }> {
  try {
    const result = await finalizeOnce(ctx, actor, input);
    recordFinalizeOutcome(result.created ? 'created' : 'repeated');
    return result;
  } catch (error) {
    recordFinalizeOutcome(error instanceof AppError ? error.code : 'failed');
    throw error;
  }
}

async function finalizeOnce(
  ctx: ServiceContext,
  actor: User | null,
  input: Record<string, unknown>,
): Promise<{ submission: SubmissionView; created: boolean }> {
  requireRole(actor, 'student');
  const data = parseInput(finalizeSchema, { ...input, fileKey: input.fileKey ?? input.videoUrl });
  const {
    user: student,
    assignment,
    upload,
    refusal,
  } = await requireFinalizer(ctx, actor, data.assignmentId, data.fileKey);
  if (data.courseId && data.courseId !== assignment.courseId) {
    throw new AppError('VALIDATION_ERROR', 'That assignment belongs to another course.', {
      fields: { courseId: ['Wrong course.'] },
    });
  }

  // A retry of a finalize that already succeeded: same answer, nothing new written.
  const existing = await ctx.repos.submissions.getById(upload.uploadId);
  if (existing) {
    if (existing.studentId !== student.id || existing.assignmentId !== assignment.id) {
      throw forbidden('That upload does not belong to you or to this assignment.');
    }
    return { submission: toSubmissionView(existing), created: false };
  }

  if (refusal) return reject(ctx, upload.key, refusal);
  const object = await ctx.storage.head(upload.key);
  if (!object) throw new AppError('NOT_FOUND', 'No uploaded file was found for this submission. Upload it again.');
  try {
    checkSize(object.size, ctx.settings.uploadMaxBytes);
  } catch (error) {
    return reject(ctx, upload.key, error as AppError);
  }
  if (object.contentType && !object.contentType.toLowerCase().startsWith('video/')) {
    return reject(
      ctx,
      upload.key,
      new AppError('VALIDATION_ERROR', 'Only video files can be submitted.', {
        fields: { file: ['Only video files can be submitted.'] },
      }),
    );
  }
  const container = detectVideoContainer(await ctx.storage.readFirstBytes(upload.key, SIGNATURE_BYTES));
  if (!container) {
    return reject(
      ctx,
      upload.key,
      new AppError('VALIDATION_ERROR', 'That file is not a video we can play (MP4, MOV, WebM or MKV).', {
        fields: { file: ['Not a supported video file.'] },
      }),
    );
  }

  crashPoint('finalize:checked');
  const now = ctx.now();
  const title = data.videoTitle || `${assignment.title} — ${student.firstName} ${student.lastName}`.trim();
  const fileName = data.fileName || upload.key.split('/').pop() || 'video';
  const { submission, created } = await ctx.repos.submissions.createWithVideo({
    submission: {
      id: upload.uploadId,
      assignmentId: assignment.id,
      courseId: assignment.courseId,
      studentId: student.id,
      videoId: upload.uploadId,
      videoTitle: title,
      videoDescription: data.videoDescription ?? '',
      fileName,
      fileSize: object.size,
      fileType: CONTAINER_CONTENT_TYPES[container],
      durationSeconds: data.duration ?? null,
      isLate: isLateAt(assignment, now),
      submittedAt: now.toISOString(),
    },
    video: {
      id: upload.uploadId,
      ownerId: student.id,
      courseId: assignment.courseId,
      assignmentId: assignment.id,
      submissionId: upload.uploadId,
      title,
      description: data.videoDescription ?? '',
      storageKey: upload.key,
      contentType: CONTAINER_CONTENT_TYPES[container],
      sizeBytes: object.size,
      durationSeconds: data.duration ?? null,
      visibility: assignment.visibility,
    },
  });
  return { submission: toSubmissionView(submission), created };
}

/** The no-JS confirm page S3 redirects back to: only for the student the key was issued to. */
export async function getSubmitConfirmation(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
  fileKey: string,
) {
  const { assignment } = await requireFinalizer(ctx, actor, assignmentId, fileKey);
  return { assignment: { id: assignment.id, title: assignment.title }, fileKey };
}
