/**
 * Notification items and the writes that create them. Every notification write is two items
 * of ONE TransactWriteItems (the caller's, next to the row that caused it): the notification
 * and its outbox entry. Unread ones carry `unreadRecipientId` (the sparse unread index).
 * With a collapseKey the notification is an UpdateItem on `collapsedNotificationId(...)`, so
 * repeated events about one thing stay one row and concurrent ones merge (ADD to a set).
 */
import { collapsedNotificationId, newId } from '../ids';
import type { NewNotification, Notification } from '../repository';
import { buildSet, type DynamoContext, type Item } from './client';
import { ENTITY, notificationKey, timeSort } from './keys';
import { outboxPut, type TransactItem } from './outbox';

export function isNotification(item: Item | undefined): item is Item {
  return item?.entity === ENTITY.notification;
}

/** Distinct senders of a collapsed notification (a string set); 1 for any other. */
function actorCountOf(item: Item): number {
  const actors = item.actorIds;
  return actors instanceof Set && actors.size > 0 ? actors.size : 1;
}

export function toNotification(item: Item): Notification {
  const orNull = (v: unknown) => (v as string | null | undefined) ?? null;
  return {
    id: item.id as string,
    recipientId: item.recipientId as string,
    senderId: orNull(item.senderId),
    senderName: orNull(item.senderName),
    type: item.type as Notification['type'],
    title: item.title as string,
    message: item.message as string,
    relatedId: orNull(item.relatedId),
    relatedType: orNull(item.relatedType),
    actionUrl: orNull(item.actionUrl),
    isRead: item.isRead === true,
    createdAt: item.createdAt as string,
    actorCount: actorCountOf(item),
  };
}

/** The fields every write of `input` sets: the latest event's, unread, at `createdAt`. */
function latestFields(id: string, input: NewNotification, createdAt: string) {
  return {
    id,
    recipientId: input.recipientId,
    senderId: input.senderId ?? null,
    senderName: input.senderName ?? null,
    type: input.type,
    title: input.title,
    message: input.message,
    relatedId: input.relatedId ?? null,
    relatedType: input.relatedType ?? null,
    actionUrl: input.actionUrl ?? null,
    isRead: false,
    createdAt,
    createdSort: timeSort(createdAt, id),
    unreadRecipientId: input.recipientId,
  };
}

export interface NotificationWrite {
  /** The notification's id (fresh, or the collapsed row's derived id). */
  id: string;
  /** true when it updates a collapsed row (the caller reads it back for its actorCount). */
  collapsed: boolean;
  /** The notification and its outbox entry, for the caller's transaction. */
  items: [TransactItem, TransactItem];
  /** The stored notification, when it is known without a read (a new row). */
  written: Notification | null;
}

export function notificationWrite(ctx: DynamoContext, input: NewNotification, now: string): NotificationWrite {
  const table = ctx.tables.notifications;
  const key = input.collapseKey ?? null;
  const id = key === null ? newId() : collapsedNotificationId(input.recipientId, key);
  const outbox = outboxPut(ctx, { topic: 'notification', notificationId: id, recipientId: input.recipientId }, now);
  const fields = latestFields(id, input, now);
  if (key === null) {
    const item = { ...notificationKey(id), entity: ENTITY.notification, ...fields };
    return {
      id,
      collapsed: false,
      items: [
        { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(notificationId)' } },
        outbox,
      ],
      written: toNotification(item),
    };
  }
  const set = buildSet({ ...fields, entity: ENTITY.notification, collapseKey: key });
  const sender = input.senderId ?? null;
  const update = {
    Update: {
      TableName: table,
      Key: notificationKey(id),
      UpdateExpression:
        `SET ${[...set.clauses, '#firstAt = if_not_exists(#firstAt, :createdAt)'].join(', ')}` +
        (sender === null ? '' : ' ADD #actorIds :actor'),
      // The derived id names this recipient's collapsed row and nothing else.
      ConditionExpression:
        'attribute_not_exists(notificationId) OR (#entity = :entity AND #recipientId = :recipientId)',
      ExpressionAttributeNames: {
        ...set.names,
        '#firstAt': 'firstCreatedAt',
        ...(sender === null ? {} : { '#actorIds': 'actorIds' }),
      },
      ExpressionAttributeValues: { ...set.values, ...(sender === null ? {} : { ':actor': new Set([sender]) }) },
    },
  };
  return { id, collapsed: true, items: [update, outbox], written: null };
}

/** The transaction items for an optional notification (none when null). */
export function notificationItems(ctx: DynamoContext, input: NewNotification | null, now: string): TransactItem[] {
  return input ? notificationWrite(ctx, input, now).items : [];
}
