/**
 * Auth sessions live in classcast-users under `userId = "AUTHSESSION#<id>"`. The item's
 * key attribute is therefore not the owner: the owner's id is stored as `sessionUserId`.
 * `expiresAtEpoch` (seconds) is the table's TTL attribute, so DynamoDB deletes stale
 * sessions a day after they expire.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../ids';
import type { AuthSession, AuthSessionsRepository } from '../repository';
import { isPlausibleId, updateIf, type DynamoContext, type Item } from './client';
import { ENTITY, authSessionKey } from './keys';

const TTL_GRACE_SECONDS = 24 * 3600;

function toSession(item: Item): AuthSession {
  return {
    id: item.id as string,
    userId: item.sessionUserId as string,
    generation: item.generation as number,
    revoked: item.revoked === true,
    expiresAt: item.expiresAt as string,
    createdAt: item.createdAt as string,
  };
}

export function createAuthSessionsRepository(ctx: DynamoContext): AuthSessionsRepository {
  const table = ctx.tables.users;
  const isSession = 'attribute_exists(userId) AND #entity = :entity';
  const entityName = { '#entity': 'entity' };
  const entityValue = { ':entity': ENTITY.authSession };

  return {
    async create(input: { userId: string; expiresAt: string }): Promise<AuthSession> {
      const session: AuthSession = {
        id: newId(),
        userId: input.userId,
        generation: 0,
        revoked: false,
        expiresAt: input.expiresAt,
        createdAt: ctx.now().toISOString(),
      };
      const expiresMs = Date.parse(input.expiresAt);
      const { userId, ...rest } = session;
      await ctx.doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...authSessionKey(session.id),
            entity: ENTITY.authSession,
            ...rest,
            sessionUserId: userId,
            expiresAtEpoch: Number.isFinite(expiresMs) ? Math.floor(expiresMs / 1000) + TTL_GRACE_SECONDS : undefined,
          },
          ConditionExpression: 'attribute_not_exists(userId)',
        }),
      );
      return session;
    },

    async get(id: string): Promise<AuthSession | null> {
      if (!isPlausibleId(id)) return null;
      const out = await ctx.doc.send(
        new GetCommand({ TableName: table, Key: authSessionKey(id), ConsistentRead: true }),
      );
      return out.Item?.entity === ENTITY.authSession ? toSession(out.Item) : null;
    },

    async rotate(id: string, generation: number): Promise<AuthSession | null> {
      if (!isPlausibleId(id) || !Number.isInteger(generation)) return null;
      const item = await updateIf(ctx, {
        table,
        key: authSessionKey(id),
        extraSet: ['#generation = :next'],
        condition: `${isSession} AND #generation = :generation AND #revoked = :false`,
        names: { ...entityName, '#generation': 'generation', '#revoked': 'revoked' },
        values: { ...entityValue, ':generation': generation, ':next': generation + 1, ':false': false },
      });
      // null: revoked, unknown or reused token.
      return item ? toSession(item) : null;
    },

    async revoke(id: string): Promise<void> {
      if (!isPlausibleId(id)) return;
      // A failed condition is an unknown session: nothing to revoke.
      await updateIf(ctx, {
        table,
        key: authSessionKey(id),
        set: { revoked: true },
        condition: isSession,
        names: entityName,
        values: entityValue,
      });
    },
  };
}
