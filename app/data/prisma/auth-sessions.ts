import { newId } from '../ids';
import type { AuthSessionsRepository } from '../repository';
import type { PrismaClient } from './client';
import { AUTH_SESSION } from './columns';
import { toAuthSession } from './mapping';
import { statement, type Reader } from './statements';
import type { AuthSession as AuthSessionRow } from '../../../generated/prisma/client';

const BY_ID = statement('authSessions.byId', `SELECT ${AUTH_SESSION} FROM auth_sessions WHERE id = $1`);
import { systemClock, type Clock } from '../repository';

export function prismaAuthSessions(
  prisma: PrismaClient,
  reader: Reader,
  clock: Clock = systemClock,
): AuthSessionsRepository {
  return {
    async create({ userId, expiresAt }) {
      const row = await prisma.authSession.create({
        data: {
          id: newId(),
          userId,
          generation: 0,
          revoked: false,
          expiresAt: new Date(expiresAt),
          createdAt: clock(),
        },
      });
      return toAuthSession(row);
    },

    async get(id) {
      const [row] = await reader.rows<AuthSessionRow>(BY_ID, [id]);
      return row ? toAuthSession(row) : null;
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
