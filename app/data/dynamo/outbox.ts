/**
 * The outbox: entries live in classcast-notifications (entity `outbox`, key `OUTBOX#<id>`),
 * written by the adapter in the same TransactWriteItems as the notification or message they
 * are about. A pending entry sits in the sparse due index (`outboxDue = "due"`, `dueSort =
 * <availableAt>#<id>`); claiming moves its `dueSort` past the lease with a condition on the
 * value read, so two claimers can never both win one entry. Done = deleted — except an entry
 * enqueued with a dedupe key: its key is claimed by an item `OUTBOXKEY#<sha256 of the key>`
 * written in one transaction with the entry, and the entry stays (out of the due index,
 * `doneAt` set) once done, so the key keeps answering with it.
 */
import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { newId } from '../ids';
import type { OutboxClaim, OutboxEntry, OutboxEvent, OutboxRepository } from '../repository';
import {
  cancellationCodes,
  isConditionalCheckFailed,
  isPlausibleId,
  retryOnConflict,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, OUTBOX_DUE_PARTITION, outboxKey, outboxKeyClaimKey, timeSort } from './keys';
import { countPartition } from './query';
import { INDEXES } from './tables';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Errors are kept for people to read, not whole stack dumps (an item holds 400 KB at most). */
const MAX_ERROR_CHARS = 2000;
const MAX_CLAIM = 100;
/** Above every id character, so `<now>#~` bounds "due at or before now" whatever the id. */
const AFTER_ANY_ID = '~';

/**
 * The Put of a new entry, due at once (or at `availableAt`); goes into the transaction of the
 * write it follows.
 */
export function outboxPut(
  ctx: DynamoContext,
  event: OutboxEvent,
  now: string,
  opts: { availableAt?: string; dedupeKey?: string } = {},
): TransactItem & { Put: { Item: Item } } {
  const id = newId();
  return {
    Put: {
      TableName: ctx.tables.notifications,
      Item: {
        ...outboxKey(id),
        entity: ENTITY.outbox,
        id,
        event,
        attempts: 0,
        lastError: null,
        createdAt: now,
        outboxDue: OUTBOX_DUE_PARTITION,
        dueSort: timeSort(opts.availableAt ?? now, id),
        ...(opts.dedupeKey !== undefined && { dedupeKey: opts.dedupeKey }),
      },
      ConditionExpression: 'attribute_not_exists(notificationId)',
    },
  };
}

/**
 * Tells this process's onWrite listeners that committed outbox entries are waiting. A
 * listener's failure must not turn a committed write into an error: the runner's poll
 * picks the entries up anyway.
 */
export function announceOutboxWrite(ctx: DynamoContext): void {
  for (const listener of ctx.outboxListeners) {
    try {
      listener();
    } catch {
      // see above: the entry is committed and will be found by the next poll
    }
  }
}

function toEntry(item: Item): OutboxEntry {
  return {
    id: item.id as string,
    event: item.event as OutboxEvent,
    attempts: (item.attempts as number | undefined) ?? 0,
    createdAt: item.createdAt as string,
    lastError: (item.lastError as string | null | undefined) ?? null,
  };
}

const later = (ctx: DynamoContext, ms: number) => new Date(ctx.now().getTime() + Math.max(0, ms)).toISOString();

export function createOutboxRepository(ctx: DynamoContext): OutboxRepository {
  const table = ctx.tables.notifications;

  /**
   * Moves the entry's `dueSort` to the end of a new lease if `condition` (beside "it is an
   * outbox entry") still holds; null when it does not: someone else holds or completed it.
   */
  async function takeLease(
    id: string,
    leaseMs: number,
    condition: { expression: string; names?: Record<string, string>; values: Record<string, unknown> },
  ): Promise<OutboxEntry | null> {
    try {
      const out = await retryOnConflict(() =>
        ctx.doc.send(
          new UpdateCommand({
            TableName: table,
            Key: outboxKey(id),
            UpdateExpression: 'SET #dueSort = :leasedUntil',
            ConditionExpression: `#entity = :outbox AND ${condition.expression}`,
            ExpressionAttributeNames: { '#dueSort': 'dueSort', '#entity': 'entity', ...condition.names },
            ExpressionAttributeValues: {
              ':leasedUntil': timeSort(later(ctx, leaseMs), id),
              ':outbox': ENTITY.outbox,
              ...condition.values,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toEntry(out.Attributes as Item);
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  /** Takes the lease if the entry is still where we saw it in the index. */
  const lease = (seen: Item, leaseMs: number) =>
    takeLease(seen.id as string, leaseMs, { expression: '#dueSort = :seen', values: { ':seen': seen.dueSort } });

  return {
    async claimDue(limit: number, leaseMs: number) {
      const n = Math.min(Math.max(1, Math.floor(limit) || 1), MAX_CLAIM);
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEXES.outboxDue,
          KeyConditionExpression: '#due = :due AND #dueSort <= :upTo',
          ExpressionAttributeNames: { '#due': 'outboxDue', '#dueSort': 'dueSort' },
          ExpressionAttributeValues: {
            ':due': OUTBOX_DUE_PARTITION,
            ':upTo': `${ctx.now().toISOString()}#${AFTER_ANY_ID}`,
          },
          ScanIndexForward: true,
          Limit: n,
        }),
      );
      const claimed = await Promise.all(((out.Items ?? []) as Item[]).map((item) => lease(item, leaseMs)));
      return claimed.filter((e): e is OutboxEntry => e !== null);
    },

    async claim(id: string, leaseMs: number): Promise<OutboxClaim> {
      if (!isPlausibleId(id)) return { status: 'done' };
      const entry = await takeLease(id, leaseMs, {
        expression: 'attribute_exists(#due) AND #dueSort <= :upTo',
        names: { '#due': 'outboxDue' },
        values: { ':upTo': `${ctx.now().toISOString()}#${AFTER_ANY_ID}` },
      });
      if (entry) return { status: 'claimed', entry };
      // Not due: either gone (completed) or someone's lease has not run out yet.
      const seen = await ctx.doc.send(new GetCommand({ TableName: table, Key: outboxKey(id), ConsistentRead: true }));
      // A kept (deduplicated) entry that is done has left the due index.
      return seen.Item?.entity === ENTITY.outbox && seen.Item.outboxDue !== undefined
        ? { status: 'leased' }
        : { status: 'done' };
    },

    async enqueue(event: OutboxEvent, opts: { dedupeKey?: string; availableAt?: string } = {}) {
      const now = ctx.now().toISOString();
      const availableAt = opts.availableAt === undefined ? undefined : new Date(opts.availableAt).toISOString();
      const put = outboxPut(ctx, event, now, { availableAt, dedupeKey: opts.dedupeKey });
      const entry = toEntry(put.Put.Item);
      if (opts.dedupeKey === undefined) {
        await ctx.doc.send(new PutCommand(put.Put));
        announceOutboxWrite(ctx);
        return { entry, created: true };
      }
      const claimKey = outboxKeyClaimKey(createHash('sha256').update(opts.dedupeKey).digest('hex'));
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: table,
                    Item: { ...claimKey, entity: ENTITY.outboxKeyClaim, entryId: entry.id, createdAt: now },
                    ConditionExpression: 'attribute_not_exists(notificationId)',
                  },
                },
                put,
              ],
            }),
          ),
        );
        announceOutboxWrite(ctx);
        return { entry, created: true };
      } catch (err) {
        if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
      }
      // The key is taken: answer with the entry it names.
      const claim = await ctx.doc.send(new GetCommand({ TableName: table, Key: claimKey, ConsistentRead: true }));
      const entryId = claim.Item?.entryId as string | undefined;
      const first =
        entryId &&
        (await ctx.doc.send(new GetCommand({ TableName: table, Key: outboxKey(entryId), ConsistentRead: true }))).Item;
      if (!first || first.entity !== ENTITY.outbox) throw new Error(`outbox entry for a dedupe key is missing`);
      return { entry: toEntry(first), created: false };
    },

    async complete(id: string) {
      if (!isPlausibleId(id)) return;
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new DeleteCommand({
              TableName: table,
              Key: outboxKey(id),
              ConditionExpression:
                'attribute_not_exists(notificationId) OR (#entity = :outbox AND attribute_not_exists(#dedupeKey))',
              ExpressionAttributeNames: { '#entity': 'entity', '#dedupeKey': 'dedupeKey' },
              ExpressionAttributeValues: { ':outbox': ENTITY.outbox },
            }),
          ),
        );
        return;
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      // Deduplicated: kept, out of the due index (its key must keep answering with it).
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new UpdateCommand({
              TableName: table,
              Key: outboxKey(id),
              UpdateExpression: 'SET #doneAt = :now REMOVE #due, #dueSort',
              ConditionExpression: '#entity = :outbox AND attribute_exists(#due)',
              ExpressionAttributeNames: {
                '#doneAt': 'doneAt',
                '#due': 'outboxDue',
                '#dueSort': 'dueSort',
                '#entity': 'entity',
              },
              ExpressionAttributeValues: { ':now': ctx.now().toISOString(), ':outbox': ENTITY.outbox },
            }),
          ),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err; // done already
      }
    },

    async fail(id: string, error: string, retryInMs: number) {
      if (!isPlausibleId(id)) return;
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new UpdateCommand({
              TableName: table,
              Key: outboxKey(id),
              UpdateExpression: 'SET #lastError = :error, #dueSort = :dueSort ADD #attempts :one',
              // A completed (deleted) entry stays done: no stub item is created.
              ConditionExpression: '#entity = :outbox AND attribute_exists(#due)',
              ExpressionAttributeNames: {
                '#lastError': 'lastError',
                '#dueSort': 'dueSort',
                '#attempts': 'attempts',
                '#entity': 'entity',
                '#due': 'outboxDue',
              },
              ExpressionAttributeValues: {
                ':error': error.slice(0, MAX_ERROR_CHARS),
                ':dueSort': timeSort(later(ctx, retryInMs), id),
                ':one': 1,
                ':outbox': ENTITY.outbox,
              },
            }),
          ),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
    },

    countPending(topic?: OutboxEvent['topic']) {
      return countPartition(ctx, {
        table,
        index: INDEXES.outboxDue,
        partitionAttr: 'outboxDue',
        partitionValue: OUTBOX_DUE_PARTITION,
        filter: topic && {
          expression: '#event.#topic = :topic',
          names: { '#event': 'event', '#topic': 'topic' },
          values: { ':topic': topic },
        },
      });
    },

    async oldestPendingAt() {
      // Pending entries are few (the sparse due index holds only those), and due order is not
      // creation order (a failing entry's retry moves it back), so read them all: bounded pages.
      let oldest: string | null = null;
      let start: Item | undefined;
      let pages = 0;
      do {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: INDEXES.outboxDue,
            KeyConditionExpression: 'outboxDue = :due',
            ExpressionAttributeValues: { ':due': OUTBOX_DUE_PARTITION },
            ProjectionExpression: 'createdAt',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          const at = item.createdAt as string;
          if (oldest === null || at < oldest) oldest = at;
        }
        start = out.LastEvaluatedKey;
        pages += 1;
      } while (start && pages < 20);
      return oldest;
    },

    onWrite(listener: () => void) {
      // Wrapped, so one function subscribed twice is two subscriptions, each removable.
      const subscription = () => listener();
      ctx.outboxListeners.add(subscription);
      return () => {
        ctx.outboxListeners.delete(subscription);
      };
    },
  };
}
