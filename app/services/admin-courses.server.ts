/**
 * /admin/courses and /api/admin/courses (issue 16): every course with its instructor, and
 * archiving. An archived course is read-only for everyone and hidden from its students' lists
 * (the rules: archivedCourseRefusal and listsCourseFor in access.server.ts). The course's own
 * instructor may archive it too, from the course edit page.
 */
import { z } from 'zod';
import type { PageRequest, User } from '~/data/repository';
import { parseInput } from '~/utils/validation';
import { requireAdmin, requireCourseArchiver } from './access.server';
import type { ServiceContext } from './context';
import { toCourseView, type CourseView } from './courses.server';

export async function listAllCourses(
  ctx: ServiceContext,
  actor: User | null,
  page: PageRequest = {},
): Promise<{ courses: CourseView[]; nextCursor: string | null }> {
  const admin = requireAdmin(actor);
  const result = await ctx.repos.courses.listAll(page);
  const instructors = await ctx.repos.users.getMany([...new Set(result.items.map((c) => c.instructorId))]);
  const byId = new Map(instructors.map((u) => [u.id, u]));
  return {
    courses: result.items.map((c) => toCourseView(c, admin, 'admin', byId.get(c.instructorId))),
    nextCursor: result.nextCursor,
  };
}

const archiveSchema = z.object({
  archived: z.preprocess(
    (v) => (v === 'true' || v === 'on' ? true : v === 'false' ? false : v),
    z.boolean({ error: 'archived must be true or false.' }),
  ),
});

/** {archived: boolean}: archive or bring back. Archiving twice keeps the first date. */
export async function setCourseArchived(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string,
  input: unknown,
): Promise<CourseView> {
  const { archived } = parseInput(archiveSchema, input);
  const { user, course, role } = await requireCourseArchiver(ctx, actor, courseId);
  const updated =
    archived === (course.archivedAt !== null)
      ? course
      : await ctx.repos.courses.update(course.id, { archivedAt: archived ? ctx.now().toISOString() : null });
  const instructor = await ctx.repos.users.getById(updated.instructorId);
  return toCourseView(updated, user, role, instructor);
}
