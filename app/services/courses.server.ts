import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { DataConflictError } from '~/data/errors';
import { normalizeJoinCode, type Course, type CourseRole, type PageRequest, type User } from '~/data/repository';
import { AppError, notFound } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import {
  archivedCourseRefusal,
  listsCourseFor,
  requireCourseInstructor,
  requireCourseMember,
  requireRole,
  requireUser,
  teaches,
} from './access.server';
import type { ServiceContext } from './context';
import { displayName } from './users.server';

/** No 0/O, 1/I/L: join codes are read aloud in class and typed from a projector. */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const JOIN_CODE_LENGTH = 7;

export function generateJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

const joinCodeSchema = z
  .string()
  .trim()
  .min(4, 'Join code must be 4 to 24 letters or digits.')
  .max(24, 'Join code must be 4 to 24 letters or digits.')
  .regex(/^[A-Za-z0-9-]+$/, 'Join code must be 4 to 24 letters or digits.')
  .transform(normalizeJoinCode);

export const COURSE_DESCRIPTION_MAX = 5000;

export const createCourseSchema = z.object({
  title: z
    .string({ error: 'Course name is required.' })
    .trim()
    .min(1, 'Course name is required.')
    .max(120, tooLongMessage('Course name', 120)),
  code: z
    .string({ error: 'Course code is required.' })
    .trim()
    .min(1, 'Course code is required.')
    .max(32, tooLongMessage('Course code', 32)),
  description: z
    .string()
    .trim()
    .max(COURSE_DESCRIPTION_MAX, tooLongMessage('Description', COURSE_DESCRIPTION_MAX))
    .optional()
    .default(''),
  joinCode: z.preprocess((v) => (v === '' ? undefined : v), joinCodeSchema.optional()),
});

/** A course as one viewer may see it: the join code only for its instructor. */
export interface CourseView {
  id: string;
  courseId: string;
  title: string;
  name: string;
  code: string;
  description: string;
  instructorId: string;
  instructorName: string | null;
  myRole: CourseRole | 'admin' | null;
  joinCode?: string;
  /** Put away read-only (issue 16); its students no longer list it. */
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toCourseView(
  course: Course,
  viewer: User,
  myRole: CourseView['myRole'],
  instructor?: User | null,
): CourseView {
  const canSeeJoinCode = teaches(viewer, course);
  return {
    id: course.id,
    courseId: course.id,
    title: course.title,
    name: course.title,
    code: course.code,
    description: course.description,
    instructorId: course.instructorId,
    instructorName: instructor ? displayName(instructor) : null,
    myRole,
    ...(canSeeJoinCode ? { joinCode: course.joinCode } : {}),
    archived: course.archivedAt !== null,
    archivedAt: course.archivedAt,
    createdAt: course.createdAt,
    updatedAt: course.updatedAt,
  };
}

export async function createCourse(ctx: ServiceContext, actor: User | null, input: unknown): Promise<CourseView> {
  const instructor = requireRole(actor, 'instructor', 'admin');
  const data = parseInput(createCourseSchema, input);
  // A chosen code that clashes is the user's to fix; a generated one we simply retry.
  const attempts = data.joinCode ? 1 : 5;
  for (let attempt = 1; ; attempt++) {
    try {
      const course = await ctx.repos.courses.create({
        title: data.title,
        code: data.code,
        description: data.description,
        instructorId: instructor.id,
        joinCode: data.joinCode ?? generateJoinCode(),
      });
      return toCourseView(course, instructor, 'instructor', instructor);
    } catch (error) {
      if (!(error instanceof DataConflictError) || attempt >= attempts) {
        if (error instanceof DataConflictError) {
          throw new AppError('JOIN_CODE_TAKEN', 'That join code is already in use. Choose another.', {
            fields: { joinCode: ['That join code is already in use. Choose another.'] },
          });
        }
        throw error;
      }
    }
  }
}

const updateCourseSchema = z.object({
  title: createCourseSchema.shape.title.optional(),
  code: createCourseSchema.shape.code.optional(),
  description: createCourseSchema.shape.description.unwrap().unwrap().optional(),
  joinCode: z.preprocess((v) => (v === '' ? undefined : v), joinCodeSchema.optional()),
});

/** The course's instructor (or an admin) edits name, code, description and join code. */
export async function updateCourse(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  input: unknown,
): Promise<CourseView> {
  const { user: editor } = await requireCourseInstructor(ctx, actor, courseId);
  const patch = parseInput(updateCourseSchema, input);
  try {
    const course = await ctx.repos.courses.update(courseId, patch);
    const instructor = await ctx.repos.users.getById(course.instructorId);
    return toCourseView(course, editor, 'instructor', instructor);
  } catch (error) {
    if (error instanceof DataConflictError) {
      throw new AppError('JOIN_CODE_TAKEN', 'That join code is already in use. Choose another.', {
        fields: { joinCode: ['That join code is already in use. Choose another.'] },
      });
    }
    throw error;
  }
}

/** "My courses": the caller's enrolments (taught or taken), newest first, one page. */
export async function listMyCourses(
  ctx: ServiceContext,
  actor: User | null,
  page: PageRequest = {},
): Promise<{ courses: CourseView[]; nextCursor: string | null }> {
  const user = requireUser(actor);
  const enrolments = await ctx.repos.enrollments.listByUser(user.id, page);
  const courses = await ctx.repos.courses.getMany(enrolments.items.map((e) => e.courseId));
  const instructors = await ctx.repos.users.getMany([...new Set(courses.map((c) => c.instructorId))]);
  const byId = new Map(courses.map((c) => [c.id, c]));
  const instructorById = new Map(instructors.map((u) => [u.id, u]));
  const views: CourseView[] = [];
  for (const e of enrolments.items) {
    const course = byId.get(e.courseId);
    if (course && listsCourseFor(course, e.role)) {
      views.push(toCourseView(course, user, e.role, instructorById.get(course.instructorId)));
    }
  }
  return { courses: views, nextCursor: enrolments.nextCursor };
}

const joinSchema = z.object({
  joinCode: z
    .string({ error: 'Enter a join code.' })
    .trim()
    .min(1, 'Enter a join code.')
    .max(64, 'That join code is not valid.'),
});

export async function joinCourse(ctx: ServiceContext, actor: User | null, input: unknown): Promise<CourseView> {
  const student = requireRole(actor, 'student');
  const { joinCode } = parseInput(joinSchema, input);
  const course = await ctx.repos.courses.getByJoinCode(joinCode);
  if (!course) {
    throw new AppError('INVALID_JOIN_CODE', 'No course has that join code. Check it and try again.', {
      fields: { joinCode: ['No course has that join code. Check it and try again.'] },
    });
  }
  const archived = archivedCourseRefusal(course);
  if (archived) {
    throw new AppError('CONFLICT', archived.message, { fields: { joinCode: [archived.message] } });
  }
  const { created } = await ctx.repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
  if (!created) {
    throw new AppError('ALREADY_ENROLLED', `You are already enrolled in ${course.title}.`, {
      fields: { joinCode: [`You are already enrolled in ${course.title}.`] },
    });
  }
  const instructor = await ctx.repos.users.getById(course.instructorId);
  return toCourseView(course, student, 'student', instructor);
}

/** The edit form's current values (join code included): the course's instructor only. */
export async function getCourseForEdit(ctx: ServiceContext, actor: User | null, courseId: string): Promise<CourseView> {
  const { user, course, role } = await requireCourseInstructor(ctx, actor, courseId);
  const instructor = await ctx.repos.users.getById(course.instructorId);
  return toCourseView(course, user, role, instructor);
}

export interface RosterEntry {
  userId: string;
  name: string;
  email: string;
  role: CourseRole;
  joinedAt: string;
}

export interface CourseDetails {
  course: CourseView;
  /** Only for the course's instructor (and admins): classmates never see emails. */
  roster: { members: RosterEntry[]; nextCursor: string | null } | null;
}

export async function getCourseDetails(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  rosterPage: PageRequest = {},
): Promise<CourseDetails> {
  const access = await requireCourseMember(ctx, actor, courseId);
  const instructor = await ctx.repos.users.getById(access.course.instructorId);
  const course = toCourseView(access.course, access.user, access.role, instructor);
  if (!access.isInstructor) return { course, roster: null };
  const page = await ctx.repos.enrollments.listByCourse(courseId, { limit: 100, ...rosterPage });
  const users = await ctx.repos.users.getMany(page.items.map((e) => e.userId));
  const byId = new Map(users.map((u) => [u.id, u]));
  const members = page.items.flatMap((e) => {
    const u = byId.get(e.userId);
    return u ? [{ userId: u.id, name: displayName(u), email: u.email, role: e.role, joinedAt: e.createdAt }] : [];
  });
  return { course, roster: { members, nextCursor: page.nextCursor } };
}

/** What a removal or leave confirmation page names: the course and the person. */
export interface MembershipChange {
  course: { id: string; title: string };
  student: { id: string; name: string };
}

async function requireStudentEnrolment(ctx: ServiceContext, courseId: string, userId: string) {
  const [enrolment, user] = await Promise.all([
    ctx.repos.enrollments.get(courseId, userId),
    ctx.repos.users.getById(userId),
  ]);
  if (!enrolment || enrolment.role !== 'student' || !user) throw notFound('Student');
  return user;
}

/** The instructor's view of removing one student (for the confirmation page). */
export async function getStudentRemoval(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  studentId: string,
): Promise<MembershipChange> {
  const { course } = await requireCourseInstructor(ctx, actor, courseId);
  const student = await requireStudentEnrolment(ctx, course.id, studentId);
  return { course: { id: course.id, title: course.title }, student: { id: student.id, name: displayName(student) } };
}

/** The instructor removes a student from the course; the student's submissions stay. */
export async function removeStudent(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  studentId: string,
): Promise<MembershipChange> {
  const change = await getStudentRemoval(ctx, actor, courseId, studentId);
  await ctx.repos.enrollments.remove(courseId, studentId);
  return change;
}

/** A student leaves a course they take (an instructor cannot leave the course they teach). */
export async function leaveCourse(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
): Promise<MembershipChange> {
  const { course, enrollment, user } = await requireCourseMember(ctx, actor, courseId);
  if (enrollment?.role !== 'student') {
    throw new AppError('FORBIDDEN', 'Only students can leave a course; instructors keep the courses they teach.');
  }
  await ctx.repos.enrollments.remove(course.id, user.id);
  return { course: { id: course.id, title: course.title }, student: { id: user.id, name: displayName(user) } };
}
