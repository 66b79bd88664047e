import { clampLimit, type InteractionsRepository } from '../repository';
import type { PrismaClient } from './client';
import { keysetPage, keysetWhere, readKeyset } from './keyset';
import { toInteraction } from './coursework-mapping';

export function prismaInteractions(prisma: PrismaClient): Pick<InteractionsRepository, 'listByVideo'> {
  return {
    /** Newest first: ORDER BY created_at DESC, id DESC (index video_id, created_at DESC, id DESC). */
    async listByVideo(videoId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'interactions.byVideo', videoId);
      const rows = await prisma.interaction.findMany({
        where: { videoId, ...keysetWhere(after, 'createdAt', 'id', 'desc') },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      return keysetPage(rows, limit, 'interactions.byVideo', videoId, (r) => r.id, toInteraction);
    },
  };
}
