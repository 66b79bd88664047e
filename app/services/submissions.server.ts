/**
 * Finalize (the app never trusts the client: HEAD + container sniff before anything is
 * recorded) and the submission views.
 */
import { z } from 'zod';
import { requireRole, requireUser } from '~/auth/rbac.server';
import type { PageRequest, Submission, User } from '~/data/repository';
import { CONTAINER_CONTENT_TYPES, detectVideoContainer, SIGNATURE_BYTES } from '~/storage/video-signature';
import { AppError, forbidden, notFound } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireAssignmentAccess } from './assignments.server';
import type { ServiceContext } from './context';
import { acceptsSubmissions, isLateAt } from './due-state';
import { checkSize, requireMayResubmit, requireOwnUploadKey } from './uploads.server';

const finalizeSchema = z.object({
  assignmentId: z.string({ error: 'assignmentId is required.' }).min(1, 'assignmentId is required.'),
  courseId: z.string().optional(),
  fileKey: z.string({ error: 'fileKey is required.' }).min(1, 'fileKey is required.'),
  videoTitle: z.string().trim().max(200, 'Title is too long.').optional(),
  videoDescription: z.string().trim().max(5000, 'Description is too long.').optional(),
  fileName: z.string().trim().max(255).optional(),
  duration: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce.number().min(0).max(86_400).optional(),
  ),
});

export interface SubmissionView extends Submission {
  submissionId: string;
  /** The page that plays this submission's video. */
  videoUrl: string;
  /** The original API's names. */
  duration: number | null;
  thumbnailUrl: null;
}

export function toSubmissionView(s: Submission): SubmissionView {
  return {
    ...s,
    submissionId: s.id,
    videoUrl: `/videos/${s.videoId}`,
    duration: s.durationSeconds,
    thumbnailUrl: null,
  };
}

/** Deletes an upload we refuse, then throws why: nothing half-written survives. */
async function reject(ctx: ServiceContext, key: string, error: AppError): Promise<never> {
  await ctx.storage.delete(key).catch(() => undefined);
  throw error;
}

export async function finalizeSubmission(
  ctx: ServiceContext,
  actor: User | null,
  input: Record<string, unknown>,
): Promise<{ submission: SubmissionView; created: boolean }> {
  const student = requireRole(actor, 'student');
  const data = parseInput(finalizeSchema, { ...input, fileKey: input.fileKey ?? input.videoUrl });
  const upload = requireOwnUploadKey(data.fileKey, student, data.assignmentId);
  if (data.courseId && data.courseId !== upload.courseId) {
    throw new AppError('VALIDATION_ERROR', 'That assignment belongs to another course.', {
      fields: { courseId: ['Wrong course.'] },
    });
  }
  // A retry of a finalize that already succeeded: same answer, nothing new written.
  const existing = await ctx.repos.submissions.getById(upload.uploadId);
  if (existing) return { submission: toSubmissionView(existing), created: false };

  const { assignment, enrollment } = await requireAssignmentAccess(ctx, student, data.assignmentId);
  if (enrollment?.role !== 'student') throw forbidden('Only students enrolled in this course can submit.');
  if (!acceptsSubmissions(assignment)) {
    return reject(
      ctx,
      upload.key,
      new AppError('CONFLICT', 'This assignment is closed and no longer accepts submissions.'),
    );
  }
  try {
    await requireMayResubmit(ctx, assignment, student.id, upload.uploadId);
  } catch (error) {
    return reject(ctx, upload.key, error as AppError);
  }
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

/**
 * Who may see a submission: its student, the course instructor, admins. Classmates watch
 * class-visible videos on the video page, but grades and feedback stay private.
 */
export async function requireSubmissionAccess(ctx: ServiceContext, actor: User | null, submissionId: string) {
  const user = requireUser(actor);
  const submission = await ctx.repos.submissions.getById(submissionId);
  if (!submission) throw notFound('Submission');
  const course = await ctx.repos.courses.getById(submission.courseId);
  const isInstructor = user.role === 'admin' || course?.instructorId === user.id;
  if (!isInstructor && submission.studentId !== user.id) throw notFound('Submission');
  return { submission, isInstructor };
}

const listSchema = z.object({
  assignmentId: z.string().optional(),
  courseId: z.string().optional(),
  studentId: z.string().optional(),
});

/**
 * GET /api/video-submissions: students see only their own; the course instructor sees the
 * course's. A studentId naming someone else is refused for students (never trusted).
 */
export async function listSubmissions(ctx: ServiceContext, actor: User | null, input: unknown, page: PageRequest = {}) {
  const user = requireUser(actor);
  const q = parseInput(listSchema, input);
  const isStudent = user.role === 'student';
  if (isStudent && q.studentId && q.studentId !== user.id) throw forbidden('You can only list your own submissions.');
  if (q.assignmentId) {
    const { assignment, isInstructor } = await requireAssignmentAccess(ctx, user, q.assignmentId);
    if (!isInstructor) {
      const mine = await ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, user.id, page);
      return { submissions: mine.items.map(toSubmissionView), nextCursor: mine.nextCursor };
    }
    const result = q.studentId
      ? await ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, q.studentId, page)
      : await ctx.repos.submissions.listByAssignment(assignment.id, page);
    return { submissions: result.items.map(toSubmissionView), nextCursor: result.nextCursor };
  }
  if (!q.courseId) {
    throw new AppError('VALIDATION_ERROR', 'assignmentId or courseId is required.', {
      fields: { assignmentId: ['assignmentId or courseId is required.'] },
    });
  }
  const course = await ctx.repos.courses.getById(q.courseId);
  if (!course) throw notFound('Course');
  const isInstructor = user.role === 'admin' || course.instructorId === user.id;
  // The filter goes to the query, before the limit: a student's page is full of their own.
  const studentId = isInstructor ? q.studentId : user.id;
  const result = await ctx.repos.submissions.listByCourse(q.courseId, page, { studentId });
  return { submissions: result.items.map(toSubmissionView), nextCursor: result.nextCursor };
}
