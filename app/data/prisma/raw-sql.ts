/**
 * Column lists for the single-statement writes (likes, connection requests), as Prisma SQL
 * fragments of the lists in columns.ts (aliased to the Prisma row shape, so the same row
 * mappers apply). The "notify if the write happened" CTE is in notification-sql.ts.
 *
 * Why single statements: a data-modifying CTE makes "insert the like if absent, and only then
 * bump the counter and notify" one atomic statement — no interactive transaction holding a
 * connection across round trips (the embedded server has one), and no read-modify-write.
 */
import { Prisma } from '../../../generated/prisma/client';
import { CONNECTION, INTERACTION, USER } from './columns';

export const USER_COLUMNS = Prisma.raw(USER);
export const INTERACTION_COLUMNS = Prisma.raw(INTERACTION);
export const CONNECTION_COLUMNS = Prisma.raw(CONNECTION);
