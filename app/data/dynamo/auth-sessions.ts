/**
 * Auth sessions live in classcast-users under `userId = "AUTHSESSION#<id>"`. The item's
 * key attribute is therefore not the owner: the owner's id is stored as `sessionUserId`.
 * `expiresAtEpoch` (seconds) is the table's TTL attribute, so DynamoDB deletes stale
 * sessions a day after they expire.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../ids';
import type { AuthSession, AuthSessionsRepository } from '../repository';
import { isConditionalCheckFailed, isPlausibleId, retryOnConflict, type DynamoContext, type Item } from './client';
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
      try {
        const out = await retryOnConflict(() =>
          ctx.doc.send(
            new UpdateCommand({
              TableName: table,
              Key: authSessionKey(id),
              UpdateExpression: 'SET #generation = :next',
              ConditionExpression: `${isSession} AND #generation = :generation AND #revoked = :false`,
              ExpressionAttributeNames: { ...entityName, '#generation': 'generation', '#revoked': 'revoked' },
              ExpressionAttributeValues: {
                ...entityValue,
                ':generation': generation,
                ':next': generation + 1,
                ':false': false,
              },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return toSession(out.Attributes as Item);
      } catch (err) {
        if (isConditionalCheckFailed(err)) return null; // revoked, unknown or reused token
        throw err;
      }
    },

    async revoke(id: string): Promise<void> {
      if (!isPlausibleId(id)) return;
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new UpdateCommand({
              TableName: table,
              Key: authSessionKey(id),
              UpdateExpression: 'SET #revoked = :true',
              ConditionExpression: isSession,
              ExpressionAttributeNames: { ...entityName, '#revoked': 'revoked' },
              ExpressionAttributeValues: { ...entityValue, ':true': true },
            }),
          ),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err; // unknown session: nothing to revoke
      }
    },
  };
}
