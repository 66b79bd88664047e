/**
 * The dashboards: what a student should do next and how they did; what an instructor has
 * left to grade. Each is a fixed number of port calls, whatever the number of courses,
 * students or submissions (the port methods answer "next N" across courses).
 */
import type { Assignment, Submission, User } from '~/data/repository';
import { requireUser } from './access.server';
import type { ServiceContext } from './context';
import { listMyCourses, type CourseView } from './courses.server';
import { dueState } from './due-state';
import type { DueNextEntry, RecentGrade, ToGradeEntry } from './dashboard-view';
import { displayName } from './users.server';

export const DUE_NEXT_COUNT = 5;
export const RECENT_GRADES_COUNT = 5;
export const TO_GRADE_COUNT = 10;

export type Dashboard =
  | {
      kind: 'student';
      courses: CourseView[];
      nextCursor: string | null;
      dueNext: DueNextEntry[];
      recentGrades: RecentGrade[];
    }
  | { kind: 'instructor'; courses: CourseView[]; nextCursor: string | null; toGrade: ToGradeEntry[] };

const titleOf = (courses: CourseView[]) => new Map(courses.map((c) => [c.id, c.title]));

export async function getDashboard(
  ctx: ServiceContext,
  actor: User | null,
  page: { cursor?: string | null } = {},
): Promise<Dashboard> {
  const user = requireUser(actor);
  const { courses, nextCursor } = await listMyCourses(ctx, user, { limit: 20, cursor: page.cursor });
  if (user.role === 'student') {
    const [dueNext, recentGrades] = await Promise.all([dueNextFor(ctx, user, courses), recentGradesFor(ctx, user)]);
    return { kind: 'student', courses, nextCursor, dueNext, recentGrades };
  }
  const taught = courses.filter((c) => c.myRole === 'instructor' || c.instructorId === user.id);
  return { kind: 'instructor', courses, nextCursor, toGrade: await toGradeFor(ctx, taught) };
}

async function dueNextFor(ctx: ServiceContext, student: User, courses: CourseView[]): Promise<DueNextEntry[]> {
  const now = ctx.now();
  const taken = courses.filter((c) => c.myRole === 'student');
  const due = await ctx.repos.assignments.listDueByCourses(
    taken.map((c) => c.id),
    now.toISOString(),
    DUE_NEXT_COUNT,
  );
  // At most DUE_NEXT_COUNT small reads: has the student already handed this one in?
  const mine = await Promise.all(
    due.map((a) => ctx.repos.submissions.listByAssignmentAndStudent(a.id, student.id, { limit: 1 })),
  );
  const courseTitle = titleOf(taken);
  return due.map((a, i) => ({
    assignmentId: a.id,
    title: a.title,
    courseTitle: courseTitle.get(a.courseId) ?? '',
    dueDate: a.dueDate,
    dueState: dueState(a, now),
    submitted: mine[i].items.length > 0,
  }));
}

async function recentGradesFor(ctx: ServiceContext, student: User): Promise<RecentGrade[]> {
  const graded = await ctx.repos.submissions.listGradedByStudent(student.id, RECENT_GRADES_COUNT);
  const [assignments, courses] = await Promise.all([
    ctx.repos.assignments.getMany(graded.map((s) => s.assignmentId)),
    ctx.repos.courses.getMany([...new Set(graded.map((s) => s.courseId))]),
  ]);
  const assignmentById = new Map(assignments.map((a) => [a.id, a]));
  const courseTitle = new Map(courses.map((c) => [c.id, c.title]));
  return graded.flatMap((s) => {
    const a = assignmentById.get(s.assignmentId);
    if (!a || s.grade == null || !s.gradedAt) return [];
    return [
      {
        submissionId: s.id,
        assignmentTitle: a.title,
        courseTitle: courseTitle.get(s.courseId) ?? '',
        grade: s.grade,
        maxScore: a.maxScore,
        gradedAt: s.gradedAt,
        feedback: s.instructorFeedback,
      },
    ];
  });
}

async function toGradeFor(ctx: ServiceContext, taught: CourseView[]): Promise<ToGradeEntry[]> {
  const queue: Submission[] = await ctx.repos.submissions.listUngradedByCourses(
    taught.map((c) => c.id),
    TO_GRADE_COUNT,
  );
  const [students, assignments] = await Promise.all([
    ctx.repos.users.getMany([...new Set(queue.map((s) => s.studentId))]),
    ctx.repos.assignments.getMany([...new Set(queue.map((s) => s.assignmentId))]),
  ]);
  const studentById = new Map(students.map((u) => [u.id, u]));
  const assignmentById = new Map<string, Assignment>(assignments.map((a) => [a.id, a]));
  const courseTitle = titleOf(taught);
  return queue.map((s) => {
    const student = studentById.get(s.studentId);
    return {
      submissionId: s.id,
      studentName: student ? displayName(student) : 'A former student',
      assignmentTitle: assignmentById.get(s.assignmentId)?.title ?? 'Assignment',
      courseTitle: courseTitle.get(s.courseId) ?? '',
      submittedAt: s.submittedAt,
      isLate: s.isLate,
    };
  });
}
