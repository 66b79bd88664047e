/** classcast-notifications (partition key `notificationId`), listed per recipient newest first. */
import { newId } from '../ids';
import type { NewNotification, Notification, NotificationsRepository, PageRequest } from '../repository';
import { isPlausibleId, type DynamoContext, type Item } from './client';
import { ENTITY, notificationKey, timeSort } from './keys';
import { queryPage } from './query';
import { INDEXES } from './tables';

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
  };
}

/** A new, unread notification item (fresh ULID id; `createdSort` orders the recipient index). */
export function notificationItem(input: NewNotification, createdAt: string): Item {
  const id = newId();
  const n: Notification = {
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
  };
  return { ...notificationKey(id), entity: ENTITY.notification, ...n, createdSort: timeSort(createdAt, id) };
}

export function createNotificationsRepository(ctx: DynamoContext): NotificationsRepository {
  return {
    async listByRecipient(recipientId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table: ctx.tables.notifications,
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
  };
}
