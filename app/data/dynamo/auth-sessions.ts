/**
 * Auth sessions live in classcast-users under `userId = "AUTHSESSION#<id>"`. The item's
 * key attribute is therefore not the owner: the owner's id is stored as `sessionUserId`.
 * `expiresAtEpoch` (seconds) is the table's TTL attribute, so DynamoDB deletes stale
 * sessions a day after they expire. While not revoked, a session also sits in the sparse
 * `accountOwnerId-account-index` under its owner, sorted `SESSION#<lastSeenAt>#<id>`: the
 * "where you are signed in" list and "sign out everywhere else" read it.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../ids';
import type { AuthSession, AuthSessionsRepository } from '../repository';
import { storedUserAgent, TOUCH_INTERVAL_MS } from '../user-agent';
import { isPlausibleId, updateIf, type DynamoContext, type Item } from './client';
import { ENTITY, SESSION_SORT_PREFIX, authSessionKey, timeSort } from './keys';
import { INDEXES } from './tables';

const TTL_GRACE_SECONDS = 24 * 3600;
const MAX_LISTED = 100;
/** Query calls per list at most: expired sessions (until TTL removes them) are filtered out. */
const MAX_LIST_CALLS = 10;

function toSession(item: Item): AuthSession {
  return {
    id: item.id as string,
    userId: item.sessionUserId as string,
    generation: item.generation as number,
    revoked: item.revoked === true,
    expiresAt: item.expiresAt as string,
    createdAt: item.createdAt as string,
    userAgent: (item.userAgent as string | null | undefined) ?? null,
    // Sessions written before issue 16 were last seen, as far as we know, when created.
    lastSeenAt: (item.lastSeenAt as string | undefined) ?? (item.createdAt as string),
  };
}

const sessionSort = (lastSeenAt: string, id: string) => `${SESSION_SORT_PREFIX}${timeSort(lastSeenAt, id)}`;

export function createAuthSessionsRepository(ctx: DynamoContext): AuthSessionsRepository {
  const table = ctx.tables.users;
  const isSession = 'attribute_exists(userId) AND #entity = :entity';
  const entityName = { '#entity': 'entity' };
  const entityValue = { ':entity': ENTITY.authSession };

  /** Sets revoked and leaves the owner's index; false when it was revoked (or unknown) already. */
  async function revokeOne(id: string, onlyIfActive: boolean): Promise<boolean> {
    const item = await updateIf(ctx, {
      table,
      key: authSessionKey(id),
      set: { revoked: true },
      remove: ['#owner', '#sort'],
      condition: onlyIfActive ? `${isSession} AND #revoked = :false` : isSession,
      names: {
        ...entityName,
        '#owner': 'accountOwnerId',
        '#sort': 'accountSort',
        ...(onlyIfActive && { '#revoked': 'revoked' }),
      },
      values: { ...entityValue, ...(onlyIfActive && { ':false': false }) },
    });
    return item !== null;
  }

  /** The user's not-revoked sessions, most recently seen first, filtered by `keep`. */
  async function indexed(userId: string, keep: (item: Item) => boolean, max: number): Promise<Item[]> {
    const found: Item[] = [];
    let start: Item | undefined;
    for (let calls = 0; calls < MAX_LIST_CALLS; calls++) {
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEXES.accountItemsByOwner,
          KeyConditionExpression: '#owner = :owner AND begins_with(#sort, :prefix)',
          ExpressionAttributeNames: { '#owner': 'accountOwnerId', '#sort': 'accountSort' },
          ExpressionAttributeValues: { ':owner': userId, ':prefix': SESSION_SORT_PREFIX },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of (out.Items ?? []) as Item[]) {
        if (item.entity === ENTITY.authSession && item.revoked !== true && keep(item)) found.push(item);
      }
      start = out.LastEvaluatedKey;
      if (!start || found.length >= max) break;
    }
    return found.slice(0, max);
  }

  return {
    async create(input) {
      const now = ctx.now().toISOString();
      const session: AuthSession = {
        id: newId(),
        userId: input.userId,
        generation: 0,
        revoked: false,
        expiresAt: input.expiresAt,
        createdAt: now,
        userAgent: storedUserAgent(input.userAgent),
        lastSeenAt: now,
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
            accountOwnerId: userId,
            accountSort: sessionSort(now, session.id),
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

    async listActiveByUser(userId: string, now: string): Promise<AuthSession[]> {
      if (!isPlausibleId(userId)) return [];
      const at = new Date(now).toISOString();
      const items = await indexed(userId, (item) => (item.expiresAt as string) > at, MAX_LISTED);
      return items.map(toSession);
    },

    async touch(id: string, at: string): Promise<void> {
      if (!isPlausibleId(id)) return;
      const seen = new Date(at).toISOString();
      const threshold = new Date(Date.parse(seen) - TOUCH_INTERVAL_MS).toISOString();
      // Conditional: a busy session writes once a minute, never backwards, never when revoked.
      // It also (re)places the session in its owner's index (sessions from before issue 16).
      await updateIf(ctx, {
        table,
        key: authSessionKey(id),
        set: { lastSeenAt: seen, accountSort: sessionSort(seen, id) },
        extraSet: ['#owner = #sessionUserId'],
        condition: `${isSession} AND #revoked = :false AND (attribute_not_exists(#lastSeenAt) OR #lastSeenAt <= :threshold)`,
        names: { ...entityName, '#revoked': 'revoked', '#owner': 'accountOwnerId', '#sessionUserId': 'sessionUserId' },
        values: { ...entityValue, ':false': false, ':threshold': threshold },
      });
    },

    async revokeAllForUser(userId: string, opts: { exceptId?: string } = {}): Promise<number> {
      if (!isPlausibleId(userId)) return 0;
      const items = await indexed(userId, (item) => item.id !== opts.exceptId, Number.POSITIVE_INFINITY);
      const revoked = await Promise.all(items.map((item) => revokeOne(item.id as string, true)));
      return revoked.filter(Boolean).length;
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
      await revokeOne(id, false);
    },
  };
}
