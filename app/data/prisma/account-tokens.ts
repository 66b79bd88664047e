/**
 * Mailed single-use tokens on Postgres. Consuming is one conditional UPDATE ... RETURNING:
 * concurrent consumers of one token queue on its row lock, and once the first has committed
 * the others' WHERE (used_at IS NULL) no longer matches — exactly one sees 'consumed'.
 */
import { DataNotFoundError } from '../errors';
import { systemClock, type AccountTokensRepository, type Clock } from '../repository';
import type { PrismaClient } from './client';
import { ACCOUNT_TOKEN } from './columns';
import { isMissingReference, toAccountToken } from './mapping';
import { statement, type Reader } from './statements';
import type { AccountToken as AccountTokenRow } from '../../../generated/prisma/client';

const BY_ID = statement('accountTokens.byId', `SELECT ${ACCOUNT_TOKEN} FROM account_tokens WHERE id = $1`);

export function prismaAccountTokens(
  prisma: PrismaClient,
  reader: Reader,
  clock: Clock = systemClock,
): AccountTokensRepository {
  return {
    async create(input) {
      try {
        const row = await prisma.accountToken.create({
          data: {
            id: input.id,
            userId: input.userId,
            purpose: input.purpose,
            tokenHash: input.tokenHash,
            email: input.email,
            expiresAt: new Date(input.expiresAt),
            usedAt: null,
            createdAt: clock(),
          },
        });
        return toAccountToken(row);
      } catch (error) {
        if (isMissingReference(error)) throw new DataNotFoundError('user', input.userId);
        throw error;
      }
    },

    async get(id) {
      const [row] = await reader.rows<AccountTokenRow>(BY_ID, [id]);
      return row ? toAccountToken(row) : null;
    },

    async consume(id, purpose, tokenHash, now) {
      const at = new Date(now);
      const [row] = await prisma.accountToken.updateManyAndReturn({
        where: { id, purpose, tokenHash, usedAt: null, expiresAt: { gt: at } },
        data: { usedAt: at },
      });
      if (row) return { status: 'consumed', token: toAccountToken(row) };
      // Why not: read after the fact (a wrong hash or purpose says nothing about the token).
      const existing = await prisma.accountToken.findUnique({ where: { id } });
      if (!existing || existing.purpose !== purpose || existing.tokenHash !== tokenHash) return { status: 'invalid' };
      return { status: existing.usedAt ? 'used' : 'expired' };
    },

    async revokeForUser(userId, purpose, now) {
      const { count } = await prisma.accountToken.updateMany({
        where: { userId, purpose, usedAt: null },
        data: { usedAt: new Date(now) },
      });
      return count;
    },
  };
}
