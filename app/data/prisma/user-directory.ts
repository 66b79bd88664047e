/**
 * The admins' user directory: contains-search on names and email, in name order, with a
 * keyset cursor on (last_name, first_name, id) — the users_last_name_first_name_id index —
 * so every page is a bounded range scan and following the cursor visits each match once.
 */
import { decodeCursor, encodeCursor } from '../cursor';
import { clampLimit, type Page, type PageRequest, type User, type UserSearch } from '../repository';
import { Prisma, type User as UserRow } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { toUser } from './mapping';
import { USER_COLUMNS } from './raw-sql';

interface DirectoryCursor extends Record<string, unknown> {
  l: 'users.search';
  /** The search the cursor continues (term and role), so it cannot jump to another. */
  s: string;
  last: string;
  first: string;
  k: string;
}

/** ILIKE treats %, _ and \ specially; a user's term must match literally. */
const likeContains = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchUsers(prisma: PrismaClient, filter: UserSearch, page: PageRequest): Promise<Page<User>> {
  const limit = clampLimit(page.limit);
  const term = filter.term?.trim() ?? '';
  const scope = JSON.stringify([term.toLowerCase(), filter.role ?? null]);
  const after = decodeCursor(page.cursor, (v): v is DirectoryCursor => {
    const c = v as Partial<DirectoryCursor> | null;
    return (
      typeof c === 'object' &&
      c !== null &&
      c.l === 'users.search' &&
      c.s === scope &&
      typeof c.last === 'string' &&
      typeof c.first === 'string' &&
      typeof c.k === 'string'
    );
  });
  const conditions: Prisma.Sql[] = [];
  if (term) {
    const pattern = likeContains(term);
    conditions.push(Prisma.sql`(first_name ILIKE ${pattern} OR last_name ILIKE ${pattern}
      OR (first_name || ' ' || last_name) ILIKE ${pattern} OR email ILIKE ${pattern})`);
  }
  if (filter.role) conditions.push(Prisma.sql`role = ${filter.role}::user_role`);
  if (after) conditions.push(Prisma.sql`(last_name, first_name, id) > (${after.last}, ${after.first}, ${after.k})`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const rows = await prisma.$queryRaw<UserRow[]>`
    SELECT ${USER_COLUMNS} FROM users ${where}
    ORDER BY last_name, first_name, id
    LIMIT ${limit + 1}`;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({
          l: 'users.search',
          s: scope,
          last: last.lastName,
          first: last.firstName,
          k: last.id,
        } satisfies DirectoryCursor)
      : null;
  return { items: items.map(toUser), nextCursor };
}
