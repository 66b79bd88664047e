/**
 * classcast-notifications (partition key `notificationId`): listed per recipient newest first
 * (`recipientId-created-index`), counted and read-all through the sparse unread index.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import {
  MAX_PAGE_SIZE,
  clampLimit,
  type FeedPosition,
  type NewNotification,
  type Notification,
  type NotificationsRepository,
  type PageRequest,
} from '../repository';
import {
  batchGet,
  isConditionalCheckFailed,
  isPlausibleId,
  retryOnConflict,
  updateIf,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, notificationKey, timeSort, userKey } from './keys';
import { isNotification, notificationWrite, toNotification, type NotificationWrite } from './notification-items';
import { announceOutboxWrite, type TransactItem } from './outbox';
import { countPartition, queryPage } from './query';
import { INDEXES } from './tables';

/** A notification and its outbox entry are two of a transaction's 100 items. */
const NOTIFICATIONS_PER_TRANSACTION = 50;
/** Concurrent UpdateItems of one read-all. */
const READ_ALL_PARALLEL = 25;
/** Collapsed rows take many writers at once (everyone liking one video): allow more rounds. */
const COLLAPSE_ATTEMPTS = 25;

export { toNotification } from './notification-items';

/**
 * Groups writes into transactions: at most 50 each, and never the same row twice in one
 * (DynamoDB refuses that; two events with one collapseKey then go one after the other).
 */
function transactionsOf(writes: NotificationWrite[]): NotificationWrite[][] {
  const groups: NotificationWrite[][] = [];
  let current: NotificationWrite[] = [];
  let ids = new Set<string>();
  for (const write of writes) {
    if (current.length === NOTIFICATIONS_PER_TRANSACTION || ids.has(write.id)) {
      groups.push(current);
      current = [];
      ids = new Set();
    }
    current.push(write);
    ids.add(write.id);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function createNotificationsRepository(ctx: DynamoContext): NotificationsRepository {
  const table = ctx.tables.notifications;

  async function getById(id: string): Promise<Notification | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(
      new GetCommand({ TableName: table, Key: notificationKey(id), ConsistentRead: true }),
    );
    return isNotification(out.Item) ? toNotification(out.Item) : null;
  }

  /** One transaction of notifications; then the collapsed ones are read back (transactions return no values). */
  async function writeGroup(group: NotificationWrite[]): Promise<Notification[]> {
    const items: TransactItem[] = group.flatMap((w) => w.items);
    await retryOnConflict(() => ctx.doc.send(new TransactWriteCommand({ TransactItems: items })), COLLAPSE_ATTEMPTS);
    announceOutboxWrite(ctx);
    const collapsed = group.filter((w) => w.collapsed).map((w) => notificationKey(w.id));
    const read = collapsed.length ? await batchGet(ctx, table, collapsed) : [];
    const byId = new Map(read.filter(isNotification).map((i) => [i.id as string, toNotification(i)]));
    return group.map((w) => {
      const n = w.written ?? byId.get(w.id);
      if (!n) throw new DataNotFoundError('notification', w.id);
      return n;
    });
  }

  /**
   * 100 notifications with their outbox entries are 200 items, more than one transaction
   * holds, so the people are checked up front (one BatchGetItem): users are never deleted, so
   * an unknown one fails the call before anything is written, as on Postgres.
   */
  async function requireUsers(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    const implausible = unique.find((id) => !isPlausibleId(id));
    if (implausible !== undefined) throw new DataNotFoundError('user', implausible);
    const found = await batchGet(ctx, ctx.tables.users, unique.map(userKey));
    const known = new Set(found.filter((u) => u.entity === ENTITY.user).map((u) => u.id as string));
    const missing = unique.find((id) => !known.has(id));
    if (missing !== undefined) throw new DataNotFoundError('user', missing);
  }

  /** Marks one unread notification read; false when it was not unread (any more). */
  async function markUnreadRead(notificationId: string): Promise<boolean> {
    try {
      await retryOnConflict(() =>
        ctx.doc.send(
          new UpdateCommand({
            TableName: table,
            Key: notificationKey(notificationId),
            UpdateExpression: 'SET #isRead = :true REMOVE #unread',
            ConditionExpression: 'attribute_exists(#unread)',
            ExpressionAttributeNames: { '#isRead': 'isRead', '#unread': 'unreadRecipientId' },
            ExpressionAttributeValues: { ':true': true },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  return {
    async listByRecipient(recipientId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.notificationsByRecipient,
          partitionAttr: 'recipientId',
          partitionValue: recipientId,
          keyAttrs: ['notificationId', 'recipientId', 'createdSort'],
          descending: true,
          plausible: isPlausibleId(recipientId),
        },
        req,
      );
      return { items: page.items.map(toNotification), nextCursor: page.nextCursor };
    },

    getById,

    async countUnread(recipientId: string) {
      if (!isPlausibleId(recipientId)) return 0;
      return countPartition(ctx, {
        table,
        index: INDEXES.unreadNotificationsByRecipient,
        partitionAttr: 'unreadRecipientId',
        partitionValue: recipientId,
      });
    },

    async markRead(id: string) {
      if (!isPlausibleId(id)) throw new DataNotFoundError('notification', id);
      const item = await updateIf(ctx, {
        table,
        key: notificationKey(id),
        set: { isRead: true },
        remove: ['#unread'],
        condition: '#entity = :entity',
        names: { '#unread': 'unreadRecipientId', '#entity': 'entity' },
        values: { ':entity': ENTITY.notification },
      });
      if (!item) throw new DataNotFoundError('notification', id);
      return toNotification(item);
    },

    async markAllRead(recipientId: string) {
      if (!isPlausibleId(recipientId)) return 0;
      let changed = 0;
      let start: Item | undefined;
      do {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: INDEXES.unreadNotificationsByRecipient,
            KeyConditionExpression: '#unread = :recipient',
            ProjectionExpression: 'notificationId',
            ExpressionAttributeNames: { '#unread': 'unreadRecipientId' },
            ExpressionAttributeValues: { ':recipient': recipientId },
            Limit: READ_ALL_PARALLEL,
            ExclusiveStartKey: start,
          }),
        );
        const ids = ((out.Items ?? []) as Item[]).map((i) => i.notificationId as string);
        // Each is conditional on still being unread, so a concurrent read-all counts it once.
        const results = await Promise.all(ids.map(markUnreadRead));
        changed += results.filter(Boolean).length;
        start = out.LastEvaluatedKey;
      } while (start);
      return changed;
    },

    async createMany(input: readonly NewNotification[]) {
      if (input.length > MAX_PAGE_SIZE) throw new RangeError(`createMany takes at most ${MAX_PAGE_SIZE} notifications`);
      if (input.length === 0) return [];
      await requireUsers(input.flatMap((n) => (n.senderId ? [n.recipientId, n.senderId] : [n.recipientId])));
      const now = ctx.now().toISOString();
      const written: Notification[] = [];
      for (const group of transactionsOf(input.map((n) => notificationWrite(ctx, n, now)))) {
        written.push(...(await writeGroup(group)));
      }
      return written;
    },

    async listAfter(recipientId: string, after: FeedPosition, limit: number) {
      if (!isPlausibleId(recipientId)) return [];
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEXES.notificationsByRecipient,
          KeyConditionExpression: '#recipient = :recipient AND #sort > :after',
          ExpressionAttributeNames: { '#recipient': 'recipientId', '#sort': 'createdSort' },
          ExpressionAttributeValues: { ':recipient': recipientId, ':after': timeSort(after.at, after.id) },
          ScanIndexForward: true,
          Limit: clampLimit(limit),
        }),
      );
      return ((out.Items ?? []) as Item[]).filter(isNotification).map(toNotification);
    },
  };
}
