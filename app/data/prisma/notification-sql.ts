/**
 * The one way the Postgres adapter writes a notification: an upsert that also queues its
 * outbox entry, as data-modifying CTEs of the statement that caused it (a like, a request) or
 * as a statement of its own inside the caller's transaction (a comment, a grade, a message).
 *
 * Collapsing: with a collapseKey the id is derived (collapsedNotificationId), so a repeat is
 * an ON CONFLICT (id) DO UPDATE on the one row — the latest sender, title, message and link,
 * unread again, moved to the latest time, and the sender appended to actor_ids only if absent.
 * The row lock ON CONFLICT takes makes concurrent repeats queue, so the actor count is exact.
 */
import { collapsedNotificationId, newId } from '../ids';
import type { NewNotification, Notification } from '../repository';
import { Prisma } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { NOTIFICATION } from './columns';

export const NOTIFICATION_COLUMNS = Prisma.raw(NOTIFICATION);

/** The row id a notification is written under: fresh, or the collapsed one for its key. */
export function notificationIdFor(n: NewNotification): string {
  return n.collapseKey ? collapsedNotificationId(n.recipientId, n.collapseKey) : newId();
}

/**
 * `notified AS (...), notified_outbox AS (...)`: the notification upsert and its outbox entry.
 * With `source`, both happen only if that CTE returned a row (the like / request happened).
 */
export function notificationCtes(n: NewNotification, at: Date, source: string | null = null): Prisma.Sql {
  const when = source ? Prisma.sql`WHERE EXISTS (SELECT 1 FROM ${Prisma.raw(source)})` : Prisma.empty;
  const actors = n.collapseKey && n.senderId ? Prisma.sql`ARRAY[${n.senderId}::text]` : Prisma.sql`'{}'::text[]`;
  const time = at.toISOString();
  return Prisma.sql`notified AS (
    INSERT INTO notifications AS existing
      (id, recipient_id, sender_id, sender_name, type, title, message, related_id, related_type, action_url,
       is_read, created_at, actor_ids)
    SELECT ${notificationIdFor(n)}, ${n.recipientId}, ${n.senderId}::text, ${n.senderName}::text,
      ${n.type}::notification_type, ${n.title}, ${n.message}, ${n.relatedId}::text, ${n.relatedType}::text,
      ${n.actionUrl}::text, false, ${time}::timestamptz, ${actors}
    ${when}
    ON CONFLICT (id) DO UPDATE SET
      sender_id = EXCLUDED.sender_id,
      sender_name = EXCLUDED.sender_name,
      title = EXCLUDED.title,
      message = EXCLUDED.message,
      action_url = EXCLUDED.action_url,
      is_read = false,
      created_at = GREATEST(existing.created_at, EXCLUDED.created_at),
      actor_ids = CASE
        WHEN EXCLUDED.sender_id IS NULL OR EXCLUDED.sender_id = ANY(COALESCE(existing.actor_ids, '{}'::text[]))
          THEN COALESCE(existing.actor_ids, '{}'::text[])
        ELSE array_append(COALESCE(existing.actor_ids, '{}'::text[]), EXCLUDED.sender_id)
      END
    RETURNING ${NOTIFICATION_COLUMNS}
  ), notified_outbox AS (
    INSERT INTO outbox (id, topic, payload, created_at, available_at)
    SELECT ${newId()}, 'notification',
      jsonb_build_object('topic', 'notification', 'notificationId', id, 'recipientId', "recipientId"),
      ${time}::timestamptz, ${time}::timestamptz
    FROM notified
  )`;
}

/**
 * `, notified AS (...), notified_outbox AS (...)` to append to a statement's WITH list: the
 * notification and its outbox entry, only if the CTE named `source` returned a row. null → nothing.
 */
export function notifyIfWritten(
  source: 'inserted' | 'accepted' | 'sent',
  n: NewNotification | null,
  at: Date,
): Prisma.Sql {
  return n ? Prisma.sql`, ${notificationCtes(n, at, source)}` : Prisma.empty;
}

/** A row as NOTIFICATION_COLUMNS returns it. */
export interface NotificationSqlRow extends Omit<Notification, 'createdAt' | 'actorCount'> {
  createdAt: Date;
  actorIds: string[];
}

/** The notification (with its outbox entry) as a statement of its own, e.g. in a batch transaction. */
export function writeNotification(prisma: PrismaClient, n: NewNotification, at: Date) {
  return prisma.$queryRaw<NotificationSqlRow[]>`WITH ${notificationCtes(n, at)} SELECT * FROM notified`;
}

/** Foreign keys a notification write can fail, for missingReferenceError. */
export function notificationRefs(n: NewNotification | null): Record<string, readonly [string, string]> {
  return {
    notifications_recipient_id_fkey: ['user', n?.recipientId ?? ''],
    notifications_sender_id_fkey: ['user', n?.senderId ?? ''],
  };
}
