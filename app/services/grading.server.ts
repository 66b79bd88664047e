/** Grading and the instructor's progress views: the course's instructor (and admins) only. */
import { z } from 'zod';
import { requireCourseRole } from '~/auth/rbac.server';
import type { Submission, User } from '~/data/repository';
import { AppError, notFound } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import { requireAssignmentAccess, toAssignmentView, type AssignmentView } from './assignments.server';
import type { ServiceContext } from './context';
import { isLateAt } from './due-state';
import { latestPerStudent, listAll } from './submission-lists.server';
import { toSubmissionView, type SubmissionView } from './submissions.server';
import { displayName } from './users.server';

const gradeSchema = z.object({
  grade: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce.number({ error: 'Enter a score.' }).refine(Number.isFinite, 'Enter a score.'),
  ),
  feedback: z.string().trim().max(10_000, tooLongMessage('Feedback', 10_000)).optional().default(''),
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

/** 'missing' only once the due date has passed; before it nothing is owed yet. */
export type StudentStatus = 'not-submitted' | 'missing' | 'submitted' | 'late' | 'graded';

export interface StudentProgress {
  studentId: string;
  name: string;
  status: StudentStatus;
  submission: SubmissionView | null;
}

/** Per assignment: every enrolled student with their latest submission's status. */
export async function assignmentProgress(ctx: ServiceContext, actor: User | null, assignmentId: string) {
  const { assignment, isInstructor } = await requireAssignmentAccess(ctx, actor, assignmentId);
  if (!isInstructor) throw new AppError('FORBIDDEN', 'Only the course instructor can see everyone’s progress.');
  const [roster, submissions] = await Promise.all([
    listAll((cursor) => ctx.repos.enrollments.listByCourse(assignment.courseId, { limit: 100, cursor })),
    listAll((cursor) => ctx.repos.submissions.listByAssignment(assignment.id, { limit: 100, cursor })),
  ]);
  const students = roster.filter((e) => e.role === 'student');
  const users = await ctx.repos.users.getMany(students.map((e) => e.userId));
  const latest = latestPerStudent(submissions);
  const pastDue = isLateAt(assignment, ctx.now());
  const rows: StudentProgress[] = users
    .map((u) => {
      const s = latest.get(`${assignment.id}:${u.id}`) ?? null;
      return {
        studentId: u.id,
        name: displayName(u),
        status: statusOf(s, pastDue),
        submission: s ? toSubmissionView(s) : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { assignment: toAssignmentView(assignment, ctx.now()), students: rows };
}

function statusOf(s: Submission | null, pastDue: boolean): StudentStatus {
  if (!s) return pastDue ? 'missing' : 'not-submitted';
  if (s.status === 'graded') return 'graded';
  return s.isLate ? 'late' : 'submitted';
}

export interface AssignmentCounts extends AssignmentView {
  submitted: number;
  graded: number;
  /** Students without a submission; they count as missing only when `pastDue`. */
  notSubmitted: number;
  pastDue: boolean;
}

/** The instructor's course dashboard: submitted / graded / missing per assignment. */
export async function courseGradebook(ctx: ServiceContext, actor: User | null, courseId: string) {
  const { course } = await requireCourseRole(ctx, actor, courseId, 'instructor');
  const [assignments, roster, submissions] = await Promise.all([
    listAll((cursor) => ctx.repos.assignments.listByCourse(courseId, { includeDrafts: true }, { limit: 100, cursor })),
    listAll((cursor) => ctx.repos.enrollments.listByCourse(courseId, { limit: 100, cursor })),
    listAll((cursor) => ctx.repos.submissions.listByCourse(courseId, { limit: 100, cursor })),
  ]);
  const studentCount = roster.filter((e) => e.role === 'student').length;
  const latest = [...latestPerStudent(submissions).values()];
  const now = ctx.now();
  const rows: AssignmentCounts[] = assignments.map((a) => {
    const mine = latest.filter((s) => s.assignmentId === a.id);
    const graded = mine.filter((s) => s.status === 'graded').length;
    return {
      ...toAssignmentView(a, now),
      submitted: mine.length,
      graded,
      notSubmitted: Math.max(0, studentCount - mine.length),
      pastDue: isLateAt(a, now),
    };
  });
  return { course: { id: course.id, title: course.title, code: course.code }, studentCount, assignments: rows };
}
