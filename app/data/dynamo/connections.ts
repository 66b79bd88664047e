/**
 * classcast-connections (partition key `connectionId` = the sorted pair, so A→B and B→A
 * are one item and can never both exist). A user's list reads two GSIs — the user as
 * requester and as requested — each sorted by `updatedSort` = `<updatedAt>#<connectionId>`,
 * merged newest first.
 */
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../cursor';
import { DataConflictError, DataNotFoundError } from '../errors';
import {
  clampLimit,
  connectionIdFor,
  type Connection,
  type ConnectionsRepository,
  type ConnectionStatus,
  type NewNotification,
  type PageRequest,
} from '../repository';
import {
  batchGet,
  cancellationCodes,
  entityExists,
  isConditionalCheckFailed,
  isPlausibleId,
  retryOnConflict,
  type DynamoContext,
  type Item,
} from './client';
import { byteOrder } from './feed';
import { ENTITY, connectionKey, timeSort, userKey } from './keys';
import { notificationItems } from './notification-items';
import { announceOutboxWrite } from './outbox';
import { INDEXES } from './tables';

export function toConnection(item: Item): Connection {
  return {
    connectionId: item.connectionId as string,
    requesterId: item.requesterId as string,
    requestedId: item.requestedId as string,
    status: item.status as ConnectionStatus,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

const isConnection = (item: Item | undefined): item is Item => item?.entity === ENTITY.connection;
const STATUSES: readonly string[] = ['pending', 'accepted'];
/** Query calls per side and page when a status filter drops items. */
const MAX_SIDE_CALLS = 5;
const FILTERED_READ = 25;
/** Rounds of "the row we clashed with was removed before we could read it". */
const MAX_REQUEST_ATTEMPTS = 3;

/** A list cursor: strictly older than `before`, for this user and status only. */
interface ListCursor extends Record<string, unknown> {
  u: string;
  s: string;
  before: string;
}

export function createConnectionsRepository(ctx: DynamoContext): ConnectionsRepository {
  const table = ctx.tables.connections;

  async function get(connectionId: string): Promise<Connection | null> {
    if (!isPlausibleId(connectionId)) return null;
    const out = await ctx.doc.send(
      new GetCommand({ TableName: table, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    return isConnection(out.Item) ? toConnection(out.Item) : null;
  }

  /**
   * One side's newest connections before `before`, up to `need` matching the status. When
   * the call budget runs out first, `frontier` is the last position read: anything older
   * on this side is unread yet.
   */
  async function side(
    index: string,
    attr: string,
    userId: string,
    before: string | null,
    need: number,
    status?: string,
  ) {
    const found: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let calls = 0; calls < MAX_SIDE_CALLS; calls++) {
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: index,
          KeyConditionExpression: before === null ? '#pk = :pk' : '#pk = :pk AND #sort < :before',
          FilterExpression: status ? '#status = :status' : undefined,
          ExpressionAttributeNames: {
            '#pk': attr,
            ...(before === null ? {} : { '#sort': 'updatedSort' }),
            ...(status ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': userId,
            ...(before === null ? {} : { ':before': before }),
            ...(status ? { ':status': status } : {}),
          },
          ScanIndexForward: false,
          Limit: status ? Math.max(need, FILTERED_READ) : need,
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...((out.Items ?? []) as Item[]).filter(isConnection));
      startKey = out.LastEvaluatedKey;
      if (found.length >= need || !startKey) return { items: found, frontier: null };
    }
    return { items: found, frontier: String(startKey!.updatedSort) };
  }

  return {
    get,

    async getMany(connectionIds: readonly string[]): Promise<Connection[]> {
      const unique = [...new Set(connectionIds)].filter(isPlausibleId);
      if (unique.length === 0) return [];
      const items = await batchGet(ctx, table, unique.map(connectionKey));
      const byId = new Map(items.filter(isConnection).map((i) => [i.connectionId as string, toConnection(i)]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    },

    async request({ requesterId, requestedId, notification }) {
      if (!isPlausibleId(requesterId)) throw new DataNotFoundError('user', requesterId);
      if (!isPlausibleId(requestedId)) throw new DataNotFoundError('user', requestedId);
      const connectionId = connectionIdFor(requesterId, requestedId);
      for (let attempt = 0; attempt < MAX_REQUEST_ATTEMPTS; attempt++) {
        const now = ctx.now().toISOString();
        const connection: Connection = {
          connectionId,
          requesterId,
          requestedId,
          status: 'pending',
          createdAt: now,
          updatedAt: now,
        };
        const item = {
          ...connectionKey(connectionId),
          entity: ENTITY.connection,
          ...connection,
          updatedSort: timeSort(now, connectionId),
        };
        try {
          // The pair's one key is the uniqueness: a request either way round finds the row.
          // Both people are only checked (not rewritten), like enrolment.
          await retryOnConflict(() =>
            ctx.doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(connectionId)' } },
                  entityExists(ctx.tables.users, userKey(requesterId), ENTITY.user),
                  // One transaction may name an item once: a request to oneself checks once.
                  ...(requestedId === requesterId
                    ? []
                    : [entityExists(ctx.tables.users, userKey(requestedId), ENTITY.user)]),
                  ...notificationItems(ctx, notification, now),
                ],
              }),
            ),
          );
          if (notification) announceOutboxWrite(ctx);
          return { connection, created: true };
        } catch (err) {
          const codes = cancellationCodes(err);
          if (codes?.[1] === 'ConditionalCheckFailed') throw new DataNotFoundError('user', requesterId);
          if (requestedId !== requesterId && codes?.[2] === 'ConditionalCheckFailed') {
            throw new DataNotFoundError('user', requestedId);
          }
          if (codes?.[0] !== 'ConditionalCheckFailed') throw err;
          const existing = await get(connectionId);
          if (existing) return { connection: existing, created: false };
          // Removed in the instant between our write and read: ask again.
        }
      }
      throw new Error(`Connection ${connectionId} kept vanishing during request`);
    },

    async accept(connectionId: string, notification: NewNotification | null) {
      if (!isPlausibleId(connectionId)) throw new DataNotFoundError('connection', connectionId);
      const now = ctx.now().toISOString();
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: table,
                    Key: connectionKey(connectionId),
                    UpdateExpression: 'SET #status = :accepted, #updatedAt = :now, #updatedSort = :sort',
                    ConditionExpression: '#entity = :entity AND #status = :pending',
                    ExpressionAttributeNames: {
                      '#entity': 'entity',
                      '#status': 'status',
                      '#updatedAt': 'updatedAt',
                      '#updatedSort': 'updatedSort',
                    },
                    ExpressionAttributeValues: {
                      ':entity': ENTITY.connection,
                      ':pending': 'pending',
                      ':accepted': 'accepted',
                      ':now': now,
                      ':sort': timeSort(now, connectionId),
                    },
                  },
                },
                ...notificationItems(ctx, notification, now),
              ],
            }),
          ),
        );
        if (notification) announceOutboxWrite(ctx);
      } catch (err) {
        if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
        if (await get(connectionId)) throw new DataConflictError('status');
        throw new DataNotFoundError('connection', connectionId);
      }
      const accepted = await get(connectionId);
      if (!accepted) throw new DataNotFoundError('connection', connectionId);
      return accepted;
    },

    async remove(connectionId: string) {
      if (!isPlausibleId(connectionId)) throw new DataNotFoundError('connection', connectionId);
      try {
        await ctx.doc.send(
          new DeleteCommand({
            TableName: table,
            Key: connectionKey(connectionId),
            ConditionExpression: '#entity = :entity',
            ExpressionAttributeNames: { '#entity': 'entity' },
            ExpressionAttributeValues: { ':entity': ENTITY.connection },
          }),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) throw new DataNotFoundError('connection', connectionId);
        throw err;
      }
    },

    /**
     * Both sides newest first, merged. The cursor is one position (`updatedSort` is unique
     * per connection, and a connection is on one side of a user), so both sides resume
     * strictly below it. A side cut short by the filter budget caps the page at its frontier.
     */
    async listByUser(userId: string, filter?: { status?: ConnectionStatus }, req?: PageRequest) {
      const status = filter?.status;
      const cursor = decodeCursor<ListCursor>(
        req?.cursor,
        (v): v is ListCursor =>
          typeof v === 'object' &&
          v !== null &&
          (v as ListCursor).u === userId &&
          (v as ListCursor).s === (status ?? '') &&
          typeof (v as ListCursor).before === 'string' &&
          (v as ListCursor).before.length > 0 &&
          (v as ListCursor).before.length <= 1024 &&
          Object.keys(v).length === 3,
      );
      if (!isPlausibleId(userId) || (status !== undefined && !STATUSES.includes(status))) {
        return { items: [], nextCursor: null };
      }
      const limit = clampLimit(req?.limit);
      const before = cursor?.before ?? null;
      const sides = await Promise.all([
        side(INDEXES.connectionsByRequester, 'requesterId', userId, before, limit + 1, status),
        side(INDEXES.connectionsByRequested, 'requestedId', userId, before, limit + 1, status),
      ]);
      const frontiers = sides.flatMap((s) => (s.frontier === null ? [] : [s.frontier]));
      const cut = frontiers.length ? frontiers.sort(byteOrder)[frontiers.length - 1] : null;
      const seen = new Set<string>();
      const merged = sides
        .flatMap((s) => s.items)
        .sort((a, b) => byteOrder(String(b.updatedSort), String(a.updatedSort)))
        .filter((i) => {
          const id = i.connectionId as string;
          if (seen.has(id) || (cut !== null && String(i.updatedSort) < cut)) return false;
          seen.add(id);
          return true;
        });
      const items = merged.slice(0, limit);
      const next = merged.length > limit ? String(items[limit - 1].updatedSort) : cut;
      return {
        items: items.map(toConnection),
        nextCursor: next === null ? null : encodeCursor({ u: userId, s: status ?? '', before: next }),
      };
    },
  };
}
