/**
 * Authorization helpers used by services. Each returns what it proved or throws an
 * AppError (401/403/404); routes never decide who may do what.
 */
import type { Course, CourseRole, Enrollment, Repositories, Role, User } from '~/data/repository';
import { forbidden, notFound, unauthenticated } from '~/utils/errors';

export function requireUser(actor: User | null | undefined): User {
  if (!actor) throw unauthenticated();
  return actor;
}

export function requireRole(actor: User | null | undefined, ...roles: Role[]): User {
  const user = requireUser(actor);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export interface CourseAccess {
  course: Course;
  /** null for admins, who act on every course without being enrolled. */
  enrollment: Enrollment | null;
  isInstructor: boolean;
}

/**
 * 'instructor': the course's instructor (or an admin).
 * 'member': anyone enrolled in the course (or an admin).
 */
export async function requireCourseRole(
  ctx: { repos: Repositories },
  actor: User | null | undefined,
  courseId: string,
  need: CourseRole | 'member',
): Promise<CourseAccess> {
  const user = requireUser(actor);
  const [course, enrollment] = await Promise.all([
    ctx.repos.courses.getById(courseId),
    ctx.repos.enrollments.get(courseId, user.id),
  ]);
  if (!course) throw notFound('Course');
  const isAdmin = user.role === 'admin';
  const isInstructor = isAdmin || course.instructorId === user.id;
  if (need === 'instructor' && !isInstructor) throw forbidden('Only the course instructor can do that.');
  if (need === 'student' && enrollment?.role !== 'student') throw forbidden('Only enrolled students can do that.');
  if (need === 'member' && !enrollment && !isAdmin) throw forbidden('You are not a member of this course.');
  return { course, enrollment, isInstructor };
}
