import { DataNotFoundError } from '../errors';
import { clampLimit, MAX_PAGE_SIZE, systemClock, type Clock, type NotificationsRepository } from '../repository';
import type { PrismaClient } from './client';
import { feedPosition, keysetPage, readKeyset } from './keyset';
import { toNotification } from './coursework-mapping';
import { isRecordNotFound, missingReferenceError } from './mapping';
import { notificationRefs, writeNotification } from './notification-sql';
import type { OutboxSignal } from './outbox';
import type { Notification as NotificationRow } from '../../../generated/prisma/client';
import { NOTIFICATION } from './columns';
import { keysetStatements, readBeyond, readKeysetRows, statement, type Reader } from './statements';

const FROM = `SELECT ${NOTIFICATION} FROM notifications WHERE recipient_id = $1`;
/** Both on the (recipient_id, created_at DESC, id DESC) index, one in each direction. */
const NEWEST_FIRST = keysetStatements('notifications.byRecipient', FROM, 1, {
  at: 'created_at',
  id: 'id',
  dir: 'DESC',
});
const OLDEST_FIRST = keysetStatements('notifications.after', FROM, 1, { at: 'created_at', id: 'id', dir: 'ASC' });
const BY_ID = statement('notifications.byId', `SELECT ${NOTIFICATION} FROM notifications WHERE id = $1`);
/** One COUNT on the (recipient_id, is_read) index. */
const UNREAD = statement(
  'notifications.unread',
  `SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1 AND NOT is_read`,
);

export function prismaNotifications(
  prisma: PrismaClient,
  reader: Reader,
  signal: OutboxSignal,
  clock: Clock = systemClock,
): NotificationsRepository {
  /** Which of a batch's users is missing: the foreign key names the column, not the row. */
  async function missingUser(userIds: string[]): Promise<DataNotFoundError> {
    const ids = [...new Set(userIds)];
    const found = new Set(
      (await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((u) => u.id),
    );
    return new DataNotFoundError('user', ids.find((id) => !found.has(id)) ?? '');
  }

  return {
    /** Newest first: ORDER BY created_at DESC, id DESC (index recipient_id, created_at DESC, id DESC). */
    async listByRecipient(recipientId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'notifications.byRecipient', recipientId);
      const rows = await readKeysetRows<NotificationRow>(reader, NEWEST_FIRST, [recipientId], after, limit);
      return keysetPage(rows, limit, 'notifications.byRecipient', recipientId, (r) => r.id, toNotification);
    },

    async getById(id) {
      const [row] = await reader.rows<NotificationRow>(BY_ID, [id]);
      return row ? toNotification(row) : null;
    },

    async countUnread(recipientId) {
      const [row] = await reader.rows<{ n: number }>(UNREAD, [recipientId]);
      return row?.n ?? 0;
    },

    async markRead(id) {
      try {
        return toNotification(await prisma.notification.update({ where: { id }, data: { isRead: true } }));
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('notification', id);
        throw error;
      }
    },

    async markAllRead(recipientId) {
      const { count } = await prisma.notification.updateMany({
        where: { recipientId, isRead: false },
        data: { isRead: true },
      });
      return count;
    },

    /**
     * One transaction of one upsert statement per notification (each with its outbox entry),
     * in input order — so two inputs with the same collapseKey collapse like two calls would.
     */
    async createMany(input) {
      if (input.length > MAX_PAGE_SIZE) {
        throw new RangeError(`createMany takes at most ${MAX_PAGE_SIZE} notifications, got ${input.length}`);
      }
      if (input.length === 0) return [];
      const at = clock();
      let written;
      try {
        written = await prisma.$transaction(input.map((n) => writeNotification(prisma, n, at)));
      } catch (error) {
        if (!missingReferenceError(error, notificationRefs(input[0]!))) throw error;
        throw await missingUser(input.flatMap((n) => (n.senderId ? [n.recipientId, n.senderId] : [n.recipientId])));
      }
      signal.written();
      return written.map((rows) => toNotification(rows[0]!));
    },

    /** Oldest first, strictly after (created_at, id): a range scan on the recipient's index. */
    async listAfter(recipientId, after, limit) {
      const rows = await readBeyond<NotificationRow>(
        reader,
        OLDEST_FIRST,
        [recipientId],
        feedPosition(after),
        clampLimit(limit),
      );
      return rows.map(toNotification);
    },
  };
}
