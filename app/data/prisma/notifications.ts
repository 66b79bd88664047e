import { DataNotFoundError } from '../errors';
import { clampLimit, MAX_PAGE_SIZE, systemClock, type Clock, type NotificationsRepository } from '../repository';
import type { PrismaClient } from './client';
import { feedPosition, keysetPage, keysetWhere, readKeyset } from './keyset';
import { toNotification } from './coursework-mapping';
import { isRecordNotFound, missingReferenceError } from './mapping';
import { notificationRefs, writeNotification } from './notification-sql';
import type { OutboxSignal } from './outbox';

export function prismaNotifications(
  prisma: PrismaClient,
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
      const rows = await prisma.notification.findMany({
        where: { recipientId, ...keysetWhere(after, 'createdAt', 'id', 'desc') },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      return keysetPage(rows, limit, 'notifications.byRecipient', recipientId, (r) => r.id, toNotification);
    },

    async getById(id) {
      const row = await prisma.notification.findUnique({ where: { id } });
      return row ? toNotification(row) : null;
    },

    /** One COUNT on the (recipient_id, is_read) index. */
    countUnread: (recipientId) => prisma.notification.count({ where: { recipientId, isRead: false } }),

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
      const rows = await prisma.notification.findMany({
        where: { recipientId, ...keysetWhere(feedPosition(after), 'createdAt', 'id', 'asc') },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: clampLimit(limit),
      });
      return rows.map(toNotification);
    },
  };
}
