/**
 * Mailed single-use tokens in classcast-users under `userId = "ACCOUNTTOKEN#<id>"` (the
 * owner is `tokenUserId`). An unused token also sits in the sparse `accountOwnerId-account-index`
 * under its owner, sorted `TOKEN#<purpose>#<createdAt>#<id>`, so revokeForUser finds them
 * without a Scan; using a token removes it from there. Consuming is one conditional
 * UpdateItem (unused, unexpired, purpose and hash as given): of concurrent consumers exactly
 * one passes the condition. `expiresAtEpoch` lets TTL delete tokens a day after they expire.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import type { AccountToken, AccountTokenPurpose, AccountTokensRepository } from '../repository';
import {
  cancellationCodes,
  entityExists,
  isPlausibleId,
  retryOnConflict,
  updateIf,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, accountTokenKey, timeSort, tokenSortPrefix, userKey } from './keys';
import { INDEXES } from './tables';

const TTL_GRACE_SECONDS = 24 * 3600;
/** Query calls of one revokeForUser at most (a user has a handful of unused tokens). */
const MAX_REVOKE_CALLS = 10;

function toToken(item: Item): AccountToken {
  return {
    id: item.id as string,
    userId: item.tokenUserId as string,
    purpose: item.purpose as AccountTokenPurpose,
    tokenHash: item.tokenHash as string,
    email: item.email as string,
    expiresAt: item.expiresAt as string,
    usedAt: (item.usedAt as string | undefined) ?? null,
    createdAt: item.createdAt as string,
  };
}

const iso = (at: string) => new Date(at).toISOString();

export function createAccountTokensRepository(ctx: DynamoContext): AccountTokensRepository {
  const table = ctx.tables.users;
  const isToken = (item: Item | undefined): item is Item => item?.entity === ENTITY.accountToken;

  /** Marks the token used and takes it out of its owner's index; null when it was not usable. */
  function markUsed(id: string, at: string, condition: string, names: Record<string, string>, values: Item) {
    return updateIf(ctx, {
      table,
      key: accountTokenKey(id),
      set: { usedAt: at },
      remove: ['#owner', '#sort'],
      condition: `#entity = :entity AND attribute_not_exists(#usedAt)${condition}`,
      names: { '#entity': 'entity', '#usedAt': 'usedAt', '#owner': 'accountOwnerId', '#sort': 'accountSort', ...names },
      values: { ':entity': ENTITY.accountToken, ...values },
    });
  }

  async function get(id: string): Promise<AccountToken | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(
      new GetCommand({ TableName: table, Key: accountTokenKey(id), ConsistentRead: true }),
    );
    return isToken(out.Item) ? toToken(out.Item) : null;
  }

  return {
    async create(input) {
      const token: AccountToken = {
        id: newId(),
        userId: input.userId,
        purpose: input.purpose,
        tokenHash: input.tokenHash,
        email: input.email,
        expiresAt: iso(input.expiresAt),
        usedAt: null,
        createdAt: ctx.now().toISOString(),
      };
      if (!isPlausibleId(token.userId)) throw new DataNotFoundError('user', token.userId);
      // No usedAt attribute until used: the consume condition is `attribute_not_exists(usedAt)`.
      const { userId, id, purpose, tokenHash, email, expiresAt, createdAt } = token;
      const rest = { id, purpose, tokenHash, email, expiresAt, createdAt };
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                entityExists(table, userKey(userId), ENTITY.user),
                {
                  Put: {
                    TableName: table,
                    Item: {
                      ...accountTokenKey(token.id),
                      entity: ENTITY.accountToken,
                      ...rest,
                      tokenUserId: userId,
                      accountOwnerId: userId,
                      accountSort: `${tokenSortPrefix(token.purpose)}${timeSort(token.createdAt, token.id)}`,
                      expiresAtEpoch: Math.floor(Date.parse(token.expiresAt) / 1000) + TTL_GRACE_SECONDS,
                    },
                    ConditionExpression: 'attribute_not_exists(userId)',
                  },
                },
              ],
            }),
          ),
        );
      } catch (err) {
        if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') throw new DataNotFoundError('user', userId);
        throw err;
      }
      return token;
    },

    get,

    async consume(id, purpose, tokenHash, now) {
      if (!isPlausibleId(id)) return { status: 'invalid' };
      const at = iso(now);
      const item = await markUsed(
        id,
        at,
        ' AND #purpose = :purpose AND #hash = :hash AND #expiresAt > :now',
        {
          '#purpose': 'purpose',
          '#hash': 'tokenHash',
          '#expiresAt': 'expiresAt',
        },
        { ':purpose': purpose, ':hash': tokenHash, ':now': at },
      );
      if (item) return { status: 'consumed', token: toToken(item) };
      // Why not: read after the fact (a wrong hash or purpose says nothing about the token).
      const existing = await get(id);
      if (!existing || existing.purpose !== purpose || existing.tokenHash !== tokenHash) return { status: 'invalid' };
      return { status: existing.usedAt ? 'used' : 'expired' };
    },

    async revokeForUser(userId, purpose, now) {
      if (!isPlausibleId(userId)) return 0;
      const at = iso(now);
      const ids: string[] = [];
      let start: Item | undefined;
      for (let calls = 0; calls < MAX_REVOKE_CALLS; calls++) {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: INDEXES.accountItemsByOwner,
            KeyConditionExpression: '#owner = :owner AND begins_with(#sort, :prefix)',
            ExpressionAttributeNames: {
              '#owner': 'accountOwnerId',
              '#sort': 'accountSort',
              '#id': 'id',
              '#entity': 'entity',
            },
            ExpressionAttributeValues: { ':owner': userId, ':prefix': tokenSortPrefix(purpose) },
            ProjectionExpression: '#id, #entity',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of (out.Items ?? []) as Item[]) if (isToken(item)) ids.push(item.id as string);
        start = out.LastEvaluatedKey;
        if (!start) break;
      }
      const used = await Promise.all(ids.map((id) => markUsed(id, at, '', {}, {})));
      return used.filter((item) => item !== null).length;
    },
  };
}
