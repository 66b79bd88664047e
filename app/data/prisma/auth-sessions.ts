import { newId } from '../ids';
import { systemClock, type AuthSessionsRepository, type Clock } from '../repository';
import { storedUserAgent, TOUCH_INTERVAL_MS } from '../user-agent';
import type { PrismaClient } from './client';
import { AUTH_SESSION } from './columns';
import { toAuthSession } from './mapping';
import { statement, type Reader } from './statements';
import type { AuthSession as AuthSessionRow } from '../../../generated/prisma/client';

const BY_ID = statement('authSessions.byId', `SELECT ${AUTH_SESSION} FROM auth_sessions WHERE id = $1`);
/** On the user_id index: a user has a handful of sessions, sorted in memory by Postgres. */
const ACTIVE_BY_USER = statement(
  'authSessions.activeByUser',
  `SELECT ${AUTH_SESSION} FROM auth_sessions
   WHERE user_id = $1 AND NOT revoked AND expires_at > $2
   ORDER BY last_seen_at DESC, id DESC LIMIT 100`,
);

export function prismaAuthSessions(
  prisma: PrismaClient,
  reader: Reader,
  clock: Clock = systemClock,
): AuthSessionsRepository {
  return {
    async create({ userId, expiresAt, userAgent }) {
      const now = clock();
      const row = await prisma.authSession.create({
        data: {
          id: newId(),
          userId,
          generation: 0,
          revoked: false,
          expiresAt: new Date(expiresAt),
          createdAt: now,
          userAgent: storedUserAgent(userAgent),
          lastSeenAt: now,
        },
      });
      return toAuthSession(row);
    },

    async get(id) {
      const [row] = await reader.rows<AuthSessionRow>(BY_ID, [id]);
      return row ? toAuthSession(row) : null;
    },

    async listActiveByUser(userId, now) {
      const rows = await reader.rows<AuthSessionRow>(ACTIVE_BY_USER, [userId, new Date(now)]);
      return rows.map(toAuthSession);
    },

    async touch(id, at) {
      const seen = new Date(at);
      // Conditional, so a busy session writes once a minute and never moves back in time.
      await prisma.authSession.updateMany({
        where: { id, revoked: false, lastSeenAt: { lte: new Date(seen.getTime() - TOUCH_INTERVAL_MS) } },
        data: { lastSeenAt: seen },
      });
    },

    async revokeAllForUser(userId, opts = {}) {
      const { count } = await prisma.authSession.updateMany({
        where: { userId, revoked: false, ...(opts.exceptId !== undefined && { id: { not: opts.exceptId } }) },
        data: { revoked: true },
      });
      return count;
    },

    async rotate(id, generation) {
      // One conditional UPDATE ... RETURNING: of concurrent rotations from the same
      // generation exactly one matches; a stale generation (token reuse) matches none.
      const [row] = await prisma.authSession.updateManyAndReturn({
        where: { id, generation, revoked: false },
        data: { generation: { increment: 1 } },
      });
      return row ? toAuthSession(row) : null;
    },

    async revoke(id) {
      await prisma.authSession.updateMany({ where: { id }, data: { revoked: true } });
    },
  };
}
