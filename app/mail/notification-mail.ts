/**
 * Notification → mail: when a notification is delivered (the 'notification' outbox job), a
 * grade, direct message or announcement is queued as its own mail for a user who wants it, and
 * anything else joins that day's digest for a user who has it on. Each event has one dedupe
 * key, so a job that runs twice for one notification queues one mail (docs/decisions/025-mail.md).
 */
import type { NotificationType, OutboxRepository, UsersRepository } from '~/data/repository';
import { MAIL_DEDUPE_KEYS, belongsInDigest, endOfUtcDay, mailsImmediately, receivesMail, utcDay } from './mail-rules';

export interface NotificationMailDeps {
  users: Pick<UsersRepository, 'getById'>;
  outbox: Pick<OutboxRepository, 'enqueue'>;
}

export interface DeliveredNotification {
  notificationId: string;
  recipientId: string;
  type: NotificationType;
  createdAt: string;
}

export type QueuedMail = 'notification' | 'digest' | null;

export async function queueNotificationMail(deps: NotificationMailDeps, n: DeliveredNotification): Promise<QueuedMail> {
  const user = await deps.users.getById(n.recipientId);
  // Checked again when the mail is sent; here it only spares the queue.
  if (!user || !receivesMail(user)) return null;
  if (mailsImmediately(user, n.type)) {
    await deps.outbox.enqueue(
      { topic: 'mail', mail: { kind: 'notification', userId: user.id, notificationId: n.notificationId } },
      { dedupeKey: MAIL_DEDUPE_KEYS.notification(n.notificationId, n.createdAt) },
    );
    return 'notification';
  }
  if (belongsInDigest(user, n)) {
    const day = utcDay(n.createdAt);
    await deps.outbox.enqueue(
      { topic: 'mail', mail: { kind: 'digest', userId: user.id, day } },
      { dedupeKey: MAIL_DEDUPE_KEYS.digest(user.id, day), availableAt: endOfUtcDay(day) },
    );
    return 'digest';
  }
  return null;
}
