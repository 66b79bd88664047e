/** Submission views and lists; who sees which is decided in access.server.ts. */
import { z } from 'zod';
import type { PageRequest, Submission, User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import {
  requireAssignmentAccess,
  requireCourseMember,
  requireMayListStudent,
  requireSubmissionAccess,
  requireUser,
} from './access.server';
import type { ServiceContext } from './context';

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

/** GET /api/video-submissions/:id: the student's own, or any in a course the caller teaches. */
export async function getSubmission(ctx: ServiceContext, actor: User | null, submissionId: string) {
  const { submission } = await requireSubmissionAccess(ctx, actor, submissionId);
  return toSubmissionView(submission);
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
  requireMayListStudent(user, q.studentId);
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
  const { isInstructor } = await requireCourseMember(ctx, user, q.courseId);
  // The filter goes to the query, before the limit: a student's page is full of their own.
  const studentId = isInstructor ? q.studentId : user.id;
  const result = await ctx.repos.submissions.listByCourse(q.courseId, page, { studentId });
  return { submissions: result.items.map(toSubmissionView), nextCursor: result.nextCursor };
}
