import { z } from 'zod';
import { ASSIGNMENT_STATUSES, type Assignment, type PageRequest, type Submission, type User } from '~/data/repository';
import { DataConflictError } from '~/data/errors';
import { AppError } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import {
  requireAssignmentAccess,
  requireAssignmentInstructor,
  requireCourseInstructor,
  requireCourseMember,
  requireOpenCourse,
} from './access.server';
import type { ServiceContext } from './context';
import { dueState, type DueState } from './due-state';
import { notifyAssignmentPublished } from './notifications.server';

const dueDateSchema = z
  .string({ error: 'Due date is required.' })
  .trim()
  .min(1, 'Due date is required.')
  .max(64, 'Enter a valid due date.')
  .refine((v) => !Number.isNaN(new Date(v).getTime()), 'Enter a valid due date.')
  // Far-off years are typos (or probes) and some overflow what databases and toISOString take.
  .refine((v) => {
    const year = new Date(v).getUTCFullYear();
    return year >= 2000 && year <= 2100;
  }, 'The due date must be between the years 2000 and 2100.')
  .transform((v) => new Date(v).toISOString());

const fields = {
  title: z
    .string({ error: 'Title is required.' })
    .trim()
    .min(1, 'Title is required.')
    .max(200, tooLongMessage('Title', 200)),
  description: z.string().trim().max(10_000, tooLongMessage('Instructions', 10_000)),
  dueDate: dueDateSchema,
  maxScore: z.coerce
    .number({ error: 'Points must be a number.' })
    .positive('Points must be more than 0.')
    .max(10_000, 'Points must be at most 10,000.'),
  status: z.enum(ASSIGNMENT_STATUSES, { error: 'Status must be draft, published, closed or archived.' }),
  visibility: z.enum(['class', 'private'], { error: 'Visibility must be class or private.' }),
};

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const createAssignmentSchema = z.object({
  courseId: z.string({ error: 'courseId is required.' }).min(1, 'courseId is required.'),
  title: fields.title,
  description: fields.description.optional().default(''),
  dueDate: fields.dueDate,
  maxScore: z.preprocess(emptyToUndefined, fields.maxScore.optional().default(100)),
  status: z.preprocess(emptyToUndefined, fields.status.optional().default('published')),
  visibility: z.preprocess(emptyToUndefined, fields.visibility.optional().default('class')),
});

export const updateAssignmentSchema = z.object({
  title: fields.title.optional(),
  description: fields.description.optional(),
  dueDate: z.preprocess(emptyToUndefined, fields.dueDate.optional()),
  maxScore: z.preprocess(emptyToUndefined, fields.maxScore.optional()),
  status: z.preprocess(emptyToUndefined, fields.status.optional()),
  visibility: z.preprocess(emptyToUndefined, fields.visibility.optional()),
});

export interface AssignmentView {
  id: string;
  assignmentId: string;
  courseId: string;
  instructorId: string;
  title: string;
  description: string;
  dueDate: string;
  maxScore: number;
  status: Assignment['status'];
  visibility: Assignment['visibility'];
  /** Late work is accepted (and flagged) until the instructor closes the assignment. */
  allowLateSubmission: true;
  dueState: DueState;
  createdAt: string;
  updatedAt: string;
}

export function toAssignmentView(a: Assignment, now: Date): AssignmentView {
  return {
    id: a.id,
    assignmentId: a.id,
    courseId: a.courseId,
    instructorId: a.instructorId,
    title: a.title,
    description: a.description,
    dueDate: a.dueDate,
    maxScore: a.maxScore,
    status: a.status,
    visibility: a.visibility,
    allowLateSubmission: true,
    dueState: dueState(a, now),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export async function createAssignment(
  ctx: ServiceContext,
  actor: User | null,
  input: unknown,
): Promise<AssignmentView> {
  const data = parseInput(createAssignmentSchema, input);
  const { user, course } = await requireCourseInstructor(ctx, actor, data.courseId);
  requireOpenCourse(course);
  if (new Date(data.dueDate) <= ctx.now()) {
    throw new AppError('VALIDATION_ERROR', 'The due date must be in the future.', {
      fields: { dueDate: ['The due date must be in the future.'] },
    });
  }
  const assignment = await ctx.repos.assignments.create({
    ...data,
    courseId: course.id,
    instructorId: course.instructorId,
  });
  if (assignment.status === 'published') await notifyAssignmentPublished(ctx, user, assignment);
  return toAssignmentView(assignment, ctx.now());
}

/** One assignment as the caller may see it (drafts: its instructor only). */
export async function getAssignment(ctx: ServiceContext, actor: User | null, assignmentId: string) {
  const { assignment } = await requireAssignmentAccess(ctx, actor, assignmentId);
  return toAssignmentView(assignment, ctx.now());
}

/** The edit form's current values: the course's instructor only. */
export async function getAssignmentForEdit(ctx: ServiceContext, actor: User | null, assignmentId: string) {
  const { assignment } = await requireAssignmentInstructor(ctx, actor, assignmentId);
  return assignment;
}

/** The course a new assignment goes into: the course's instructor only. */
export async function getCourseForNewAssignment(ctx: ServiceContext, actor: User | null, courseId: string) {
  const { course } = await requireCourseInstructor(ctx, actor, courseId);
  return { id: course.id, title: course.title };
}

export async function updateAssignment(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
  input: unknown,
): Promise<AssignmentView> {
  const { user, assignment } = await requireAssignmentInstructor(ctx, actor, assignmentId);
  const patch = parseInput(updateAssignmentSchema, input);
  const updated = await ctx.repos.assignments.update(assignment.id, patch);
  // Told once: when a draft (or a closed one) becomes published, not on every later save.
  if (updated.status === 'published' && assignment.status !== 'published') {
    await notifyAssignmentPublished(ctx, user, updated);
  }
  return toAssignmentView(updated, ctx.now());
}

export interface AssignmentListItem extends AssignmentView {
  /** Instructors: how many students submitted / were graded (latest submission each). */
  submissionsCount?: number;
  gradedCount?: number;
  /** Students: their latest submission to it, if any. */
  mySubmission?: Pick<Submission, 'id' | 'status' | 'grade' | 'isLate' | 'submittedAt'> | null;
}

/** A course's assignments for one viewer, with counts (instructor) or own status (student). */
export async function listCourseAssignments(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  page: PageRequest = {},
): Promise<{
  assignments: AssignmentListItem[];
  totalCount: number;
  nextCursor: string | null;
  isInstructor: boolean;
}> {
  const { user: viewer, isInstructor } = await requireCourseMember(ctx, actor, courseId);
  const [result, totalCount] = await Promise.all([
    ctx.repos.assignments.listByCourse(courseId, { includeDrafts: isInstructor }, page),
    ctx.repos.assignments.countByCourse(courseId, { includeDrafts: isInstructor }),
  ]);
  const now = ctx.now();
  // One query for the counts (or the viewer's own latest), whatever the class size.
  const latest = await ctx.repos.submissions.latestPerStudent(
    isInstructor ? { courseId } : { courseId, studentId: viewer.id },
  );
  const assignments = result.items.map((a): AssignmentListItem => {
    const view: AssignmentListItem = toAssignmentView(a, now);
    const forAssignment = latest.filter((s) => s.assignmentId === a.id);
    if (isInstructor) {
      view.submissionsCount = forAssignment.length;
      view.gradedCount = forAssignment.filter((s) => s.status === 'graded').length;
    } else {
      const mine = forAssignment.find((s) => s.studentId === viewer.id);
      view.mySubmission = mine
        ? { id: mine.id, status: mine.status, grade: mine.grade, isLate: mine.isLate, submittedAt: mine.submittedAt }
        : null;
    }
    return view;
  });
  return { assignments, totalCount, nextCursor: result.nextCursor, isInstructor };
}

/** Puts an assignment away: students no longer see it; its submissions and grades stay. */
export async function archiveAssignment(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
): Promise<AssignmentView> {
  const { assignment } = await requireAssignmentInstructor(ctx, actor, assignmentId);
  if (assignment.status === 'archived') return toAssignmentView(assignment, ctx.now());
  return toAssignmentView(await ctx.repos.assignments.update(assignment.id, { status: 'archived' }), ctx.now());
}

/** Deletes an assignment nobody has submitted to; with submissions it can only be archived. */
export async function deleteAssignment(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
): Promise<{ courseId: string; title: string }> {
  const { assignment } = await requireAssignmentInstructor(ctx, actor, assignmentId);
  try {
    await ctx.repos.assignments.deleteUnsubmitted(assignment.id);
  } catch (error) {
    if (error instanceof DataConflictError) {
      throw new AppError(
        'CONFLICT',
        'Students have already submitted to this assignment, so it cannot be deleted. Archive it instead.',
      );
    }
    throw error;
  }
  return { courseId: assignment.courseId, title: assignment.title };
}
