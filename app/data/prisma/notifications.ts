import { clampLimit, type NotificationsRepository } from '../repository';
import type { PrismaClient } from './client';
import { keysetPage, keysetWhere, readKeyset } from './keyset';
import { toNotification } from './coursework-mapping';

export function prismaNotifications(prisma: PrismaClient): NotificationsRepository {
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
  };
}
