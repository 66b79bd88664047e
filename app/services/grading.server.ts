/** Grading and the instructor's progress views: the course's instructor (and admins) only. */
import { z } from 'zod';
import { MAX_PAGE_SIZE, type LtiScoreStatus, type PageRequest, type Submission, type User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import { requireAssignmentInstructor, requireCourseInstructor, requireSubmissionGrader } from './access.server';
import { toAssignmentView, type AssignmentView } from './assignments.server';
import type { ServiceContext } from './context';
import { isLateAt } from './due-state';
import { assignmentSendsScores, scoreStatusesFor, type LtiScoreView } from './lti-grades.server';
import { toSubmissionView, type SubmissionView } from './submissions.server';
import { displayName } from './users.server';
import { crashPoint } from '~/utils/crash-points.server';

/**
 * A score is a JSON number, or (from a form) a plain decimal string. Nothing else is coerced:
 * `true`, `[7]`, `" "`, `"0x5"`, `"1e1"` would all become numbers under Number(), and each
 * would notify the student of a grade nobody meant to give.
 */
const DECIMAL = /^\d+(\.\d+)?$/;
const scoreSchema = z
  .union([z.number(), z.string().regex(DECIMAL).transform(Number)], {
    error: (issue) =>
      issue.input == null || issue.input === '' ? 'Enter a score.' : 'Enter the score as a number, such as 8 or 7.5.',
  })
  .refine(Number.isFinite, 'Enter the score as a number, such as 8 or 7.5.');

const gradeSchema = z.object({
  grade: scoreSchema,
  feedback: z.string().trim().max(10_000, tooLongMessage('Feedback', 10_000)).optional().default(''),
});

function parseScore(input: Record<string, unknown>, maxScore: number) {
  const data = parseInput(gradeSchema, {
    grade: input.grade ?? input.score,
    feedback: input.feedback ?? input.instructorFeedback,
  });
  if (data.grade < 0 || data.grade > maxScore) {
    const message = `The score must be between 0 and ${maxScore}.`;
    throw new AppError('VALIDATION_ERROR', message, { fields: { grade: [message] } });
  }
  return data;
}

export async function gradeSubmission(
  ctx: ServiceContext,
  actor: User | null,
  submissionId: string,
  input: Record<string, unknown>,
): Promise<SubmissionView> {
  const { user: grader, submission, assignment, course } = await requireSubmissionGrader(ctx, actor, submissionId);
  const data = parseScore(input, assignment.maxScore);
  // An assignment launched from an LMS sends the grade to its gradebook: the job is queued in
  // the grade's own transaction, so a grade never exists without its trip (lti-grades.server.ts).
  const sendsScores = await assignmentSendsScores(ctx, assignment.id);
  const previousStatus = sendsScores ? await ctx.repos.lti.getScoreStatus(submission.id) : null;
  if (sendsScores) {
    // Saved BEFORE the grade: the job may run the moment the grade commits, and its "sent" must
    // not be overwritten by a late "pending".
    await ctx.repos.lti.saveScoreStatus({
      submissionId: submission.id,
      state: 'pending',
      scoreGiven: data.grade,
      attempts: 0,
      lastError: null,
      sentAt: previousStatus?.sentAt ?? null,
    });
  }
  const graded = await gradeRestoringStatus(ctx, previousStatus, () =>
    ctx.repos.submissions.grade({
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
      alsoQueue: sendsScores ? [{ topic: 'ltiScore', submissionId: submission.id }] : undefined,
    }),
  );
  crashPoint('grade:committed');
  return toSubmissionView(graded);
}

/** A grade that failed to save queued nothing: the LMS status goes back to what it said before. */
async function gradeRestoringStatus(
  ctx: ServiceContext,
  previous: LtiScoreStatus | null,
  grade: () => Promise<Submission>,
): Promise<Submission> {
  try {
    return await grade();
  } catch (error) {
    if (previous) {
      const { updatedAt: _updatedAt, ...status } = previous;
      await ctx.repos.lti.saveScoreStatus(status).catch(() => undefined);
    }
    throw error;
  }
}

/** 'missing' only once the due date has passed; before it nothing is owed yet. */
export type StudentStatus = 'not-submitted' | 'missing' | 'submitted' | 'late' | 'graded';

export interface StudentProgress {
  studentId: string;
  name: string;
  status: StudentStatus;
  submission: SubmissionView | null;
  /** Where the grade's trip to the LMS stands; null when the assignment sends no grades there. */
  ltiScore: LtiScoreView | null;
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
  const { assignment } = await requireAssignmentInstructor(ctx, actor, assignmentId);
  const [roster, latest] = await Promise.all([
    ctx.repos.enrollments.listByCourse(assignment.courseId, rosterPage(page)),
    ctx.repos.submissions.latestPerStudent({ assignmentId: assignment.id }),
  ]);
  const students = roster.items.filter((e) => e.role === 'student');
  const users = await ctx.repos.users.getMany(students.map((e) => e.userId));
  const latestByStudent = new Map(latest.map((s) => [s.studentId, s]));
  const lmsStatuses = await scoreStatusesFor(
    ctx,
    assignment.id,
    users.flatMap((u) => latestByStudent.get(u.id)?.id ?? []),
  );
  const pastDue = isLateAt(assignment, ctx.now());
  const rows: StudentProgress[] = users
    .map((u) => {
      const s = latestByStudent.get(u.id) ?? null;
      return {
        studentId: u.id,
        name: displayName(u),
        status: statusOf(s, pastDue),
        submission: s ? toSubmissionView(s) : null,
        ltiScore: s ? (lmsStatuses[s.id] ?? null) : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { assignment: toAssignmentView(assignment, ctx.now()), students: rows, nextCursor: roster.nextCursor };
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
  const { course } = await requireCourseInstructor(ctx, actor, courseId);
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
      notSubmitted: Math.max(0, studentCount - mine.length),
      pastDue: isLateAt(a, now),
    };
  });
  return {
    course: { id: course.id, title: course.title, code: course.code },
    studentCount,
    assignments: rows,
    nextCursor: assignments.nextCursor,
  };
}
