/**
 * The user directory (`GET /api/users`, `/admin/users`): admins search everyone through the
 * adapters' `users.search`; everyone else sees the people they share a course with, emails
 * only of the students they teach.
 */
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '~/data/cursor';
import { ROLES, clampLimit, type PageRequest, type Role, type User } from '~/data/repository';
import { parseInput } from '~/utils/validation';
import { directoryScope, requireRole } from './access.server';
import type { ServiceContext } from './context';
import { profileData, type ProfileData } from './profiles.server';

type Ctx = Pick<ServiceContext, 'repos'>;

/** A non-admin's circle is read from this many of their courses, one roster page each. */
const CIRCLE_COURSES = 20;
const CIRCLE_ROSTER = 100;

const querySchema = z.object({
  q: z.string().trim().max(100, 'q must be at most 100 characters.').optional(),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}.` }).optional(),
});

export interface DirectoryQuery {
  q?: string;
  role?: Role;
}

export function parseDirectoryQuery(query: Record<string, unknown>): DirectoryQuery {
  return parseInput(querySchema, { q: query.q || undefined, role: query.role || undefined });
}

export async function listUsers(
  ctx: Ctx,
  actor: User | null,
  query: Record<string, unknown>,
  page: PageRequest = {},
): Promise<{ users: ProfileData[]; nextCursor: string | null }> {
  const { user, everyone } = directoryScope(actor);
  const filter = parseDirectoryQuery(query);
  if (everyone) {
    const result = await ctx.repos.users.search({ term: filter.q, role: filter.role }, page);
    return { users: result.items.map((u) => profileData(u, true)), nextCursor: result.nextCursor };
  }
  return listCircle(ctx, user, filter, page);
}

type SortKey = [string, string, string];
const sortKey = (u: User): SortKey => [u.lastName.toLowerCase(), u.firstName.toLowerCase(), u.id];
const isSortKey = (v: unknown): v is { after: SortKey } =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as { after?: unknown }).after) &&
  (v as { after: unknown[] }).after.length === 3 &&
  (v as { after: unknown[] }).after.every((s) => typeof s === 'string');

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function matches(user: User, filter: DirectoryQuery, showEmail: boolean): boolean {
  if (filter.role && user.role !== filter.role) return false;
  if (!filter.q) return true;
  const term = filter.q.toLowerCase();
  const names = [user.firstName, user.lastName, `${user.firstName} ${user.lastName}`];
  // Searching by email only finds the people whose email the caller may see.
  if (showEmail) names.push(user.email);
  return names.some((n) => n.toLowerCase().includes(term));
}

/** People sharing a course with the caller, in name order, paged by the last name shown. */
async function listCircle(ctx: Ctx, user: User, filter: DirectoryQuery, page: PageRequest) {
  const after = decodeCursor(page.cursor, isSortKey)?.after;
  const mine = await ctx.repos.enrollments.listByUser(user.id, { limit: CIRCLE_COURSES });
  const rosters = await Promise.all(
    mine.items.map((e) => ctx.repos.enrollments.listByCourse(e.courseId, { limit: CIRCLE_ROSTER })),
  );
  const taughtStudents = new Set<string>();
  const ids = new Set<string>();
  mine.items.forEach((mineInCourse, i) => {
    for (const member of rosters[i].items) {
      if (member.userId === user.id) continue;
      ids.add(member.userId);
      if (mineInCourse.role === 'instructor' && member.role === 'student') taughtStudents.add(member.userId);
    }
  });
  const people = ids.size ? await ctx.repos.users.getMany([...ids]) : [];
  const limit = clampLimit(page.limit);
  const sorted = people
    .filter((p) => matches(p, filter, taughtStudents.has(p.id)))
    .filter((p) => !after || compareKeys(sortKey(p), after) > 0)
    .sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  const shown = sorted.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    users: shown.map((p) => profileData(p, taughtStudents.has(p.id))),
    nextCursor: sorted.length > limit && last ? encodeCursor({ after: sortKey(last) }) : null,
  };
}

/** The `/admin/users` page: admins only (403 for everyone else), the same search as the API. */
export async function adminDirectoryPage(
  ctx: Ctx,
  actor: User | null,
  query: Record<string, unknown>,
  page: PageRequest = {},
) {
  const admin = requireRole(actor, 'admin');
  const filter = parseDirectoryQuery(query);
  const { users, nextCursor } = await listUsers(ctx, admin, { ...filter }, page);
  return { users, nextCursor, filter };
}
