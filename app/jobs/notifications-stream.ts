/**
 * classcast-notifications stream → the recipient's bell. Shaped as an AWS Lambda handler for
 * DynamoDB Streams (docs/decisions/015-jobs-as-stream-handlers.md): locally the outbox runner
 * calls it with records it builds; on AWS the table's stream does.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { NOTIFICATION_TYPES, type NotificationsRepository } from '~/data/repository';
import { queueNotificationMail, type NotificationMailDeps } from '~/mail/notification-mail';
import type { RealtimeBus } from '~/realtime/bus';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage } from './stream-images';

export interface NotificationsStreamDeps {
  bus: Pick<RealtimeBus, 'publish'>;
  notifications: Pick<NotificationsRepository, 'countUnread'>;
  /** Queues the mail a notification calls for (app/mail/notification-mail.ts); absent: no mail. */
  mail?: NotificationMailDeps;
}

/** The attributes of a classcast-notifications item the bell needs (the item has more). */
const notificationImage = z.object({
  notificationId: z.string().min(1),
  recipientId: z.string().min(1),
  createdAt: z.string().min(1),
  isRead: z.boolean().optional().default(false),
  /** Optional: a record without it (or with a type this build does not know) still rings the bell, unmailed. */
  type: z.enum(NOTIFICATION_TYPES).optional().catch(undefined),
});

const HANDLER = 'notifications-stream';

export function createNotificationsStreamHandler(deps: NotificationsStreamDeps) {
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    handleEachRecord(HANDLER, event, async (record) => {
      // INSERT: a new notification; MODIFY: a collapsed one that moved up (or was marked read).
      if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return 'skipped';
      const read = readNewImage(record, notificationImage);
      if (!read.ok) return skipUnreadable(HANDLER, record, read.reason);
      const { notificationId, recipientId, createdAt, isRead, type } = read.image;
      // Before the bell: an entry whose bell push failed is retried, and the mail's dedupe key
      // makes the second queueing a no-op. A notification read already is still mailed.
      if (deps.mail && type) await queueNotificationMail(deps.mail, { notificationId, recipientId, type, createdAt });
      if (isRead) return 'skipped';
      const unreadCount = await deps.notifications.countUnread(recipientId);
      await deps.bus.publish({
        type: 'notification',
        userId: recipientId,
        notificationId,
        position: { at: createdAt, id: notificationId },
        unreadCount,
      });
      return 'done';
    });
}
