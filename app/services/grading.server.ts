/** Grading and the instructor's progress views: the course's instructor (and admins) only. */
import { z } from 'zod';
import { requireCourseRole } from '~/auth/rbac.server';
import { MAX_PAGE_SIZE, type PageRequest, type Submission, type User } from '~/data/repository';
import { AppError, notFound } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireAssignmentAccess, toAssignmentView, type AssignmentView } from './assignments.server';
import type { ServiceContext } from './context';
import { toSubmissionView, type SubmissionView } from './submissions.server';
import { displayName } from './users.server';

const gradeSchema = z.object({
  grade: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce.number({ error: 'Enter a score.' }).refine(Number.isFinite, 'Enter a score.'),
  ),
  feedback: z.string().trim().max(10_000, 'Feedback is too long.').optional().default(''),
});

export async function gradeSubmission(
  ctx: ServiceContext,
  actor: User | null,
  submissionId: string,
  input: Record<string, unknown>,
): Promise<SubmissionView> {
  const submission = await ctx.repos.submissions.getById(submissionId);
  if (!submission) throw notFound('Submission');
  const { course } = await requireCourseRole(ctx, actor, submission.courseId, 'instructor');
  const grader = actor as User;
  const assignment = await ctx.repos.assignments.getById(submission.assignmentId);
  if (!assignment) throw notFound('Assignment');
  const data = parseInput(gradeSchema, {
    grade: input.grade ?? input.score,
    feedback: input.feedback ?? input.instructorFeedback,
  });
  if (data.grade < 0 || data.grade > assignment.maxScore) {
    const message = `The score must be between 0 and ${assignment.maxScore}.`;
    throw new AppError('VALIDATION_ERROR', message, { fields: { grade: [message] } });
  }
  const graded = await ctx.repos.submissions.grade({
    submissionId: submission.id,
    grade: data.grade,
    feedback: data.feedback,
    gradedBy: grader.id,
    notification: {
      recipientId: submission.studentId,
      senderId: grader.id,
      senderName: displayName(grader),
      type: 'grade',
      title: `Graded: ${assignment.title}`,
      message: `You scored ${data.grade} / ${assignment.maxScore} in ${course.title}.`,
      relatedId: submission.id,
      relatedType: 'submission',
      actionUrl: `/submissions/${submission.id}`,
    },
  });
  return toSubmissionView(graded);
}

export type StudentStatus = 'missing' | 'submitted' | 'late' | 'graded';

export interface StudentProgress {
  studentId: string;
  name: string;
  status: StudentStatus;
  submission: SubmissionView | null;
}

/** The roster pages of the progress views: as many students as one page may hold. */
const rosterPage = (page: PageRequest): PageRequest => ({ limit: page.limit ?? MAX_PAGE_SIZE, cursor: page.cursor });

/**
 * Per assignment: one page of the roster with each student's latest submission. Three
 * queries (roster page, its users, latest per student), whatever the class size.
 */
export async function assignmentProgress(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
  page: PageRequest = {},
) {
  const { assignment, isInstructor } = await requireAssignmentAccess(ctx, actor, assignmentId);
  if (!isInstructor) throw new AppError('FORBIDDEN', 'Only the course instructor can see everyone’s progress.');
  const [roster, latest] = await Promise.all([
    ctx.repos.enrollments.listByCourse(assignment.courseId, rosterPage(page)),
    ctx.repos.submissions.latestPerStudent({ assignmentId: assignment.id }),
  ]);
  const students = roster.items.filter((e) => e.role === 'student');
  const users = await ctx.repos.users.getMany(students.map((e) => e.userId));
  const latestByStudent = new Map(latest.map((s) => [s.studentId, s]));
  const rows: StudentProgress[] = users
    .map((u) => {
      const s = latestByStudent.get(u.id) ?? null;
      return { studentId: u.id, name: displayName(u), status: statusOf(s), submission: s ? toSubmissionView(s) : null };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { assignment: toAssignmentView(assignment, ctx.now()), students: rows, nextCursor: roster.nextCursor };
}

function statusOf(s: Submission | null): StudentStatus {
  if (!s) return 'missing';
  if (s.status === 'graded') return 'graded';
  return s.isLate ? 'late' : 'submitted';
}

export interface AssignmentCounts extends AssignmentView {
  submitted: number;
  graded: number;
  missing: number;
}

/**
 * The instructor's course dashboard: submitted / graded / missing per assignment, for one
 * page of assignments. Three queries (assignments, student count, latest per student),
 * whatever the class size.
 */
export async function courseGradebook(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  page: PageRequest = {},
) {
  const { course } = await requireCourseRole(ctx, actor, courseId, 'instructor');
  const [assignments, studentCount, latest] = await Promise.all([
    ctx.repos.assignments.listByCourse(courseId, { includeDrafts: true }, rosterPage(page)),
    ctx.repos.enrollments.countByCourse(courseId, 'student'),
    ctx.repos.submissions.latestPerStudent({ courseId }),
  ]);
  const now = ctx.now();
  const rows: AssignmentCounts[] = assignments.items.map((a) => {
    const mine = latest.filter((s) => s.assignmentId === a.id);
    const graded = mine.filter((s) => s.status === 'graded').length;
    return {
      ...toAssignmentView(a, now),
      submitted: mine.length,
      graded,
      missing: Math.max(0, studentCount - mine.length),
    };
  });
  return {
    course: { id: course.id, title: course.title, code: course.code },
    studentCount,
    assignments: rows,
    nextCursor: assignments.nextCursor,
  };
}
