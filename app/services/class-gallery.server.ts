/** The class gallery: an assignment's submitted videos as classmates may watch them. */
import type { PageRequest } from '~/data/repository';
import { classGalleryScope, type AssignmentAccess } from './access.server';
import type { ServiceContext } from './context';
import { personSummary } from './people';
import type { GalleryPage } from './video-social-view';

/**
 * Newest first, one page: a list query, ONE users.getMany for the authors, and local URL
 * signing for the first-frame posters. null when this viewer has no gallery here.
 */
export async function loadClassGallery(
  ctx: Pick<ServiceContext, 'repos' | 'storage'>,
  access: AssignmentAccess,
  page: PageRequest = {},
): Promise<GalleryPage | null> {
  const scope = classGalleryScope(access);
  if (!scope) return null;
  const videos = await ctx.repos.videos.listByAssignment(access.assignment.id, scope, page);
  const ownerIds = [...new Set(videos.items.map((v) => v.ownerId))];
  const [owners, posters] = await Promise.all([
    ownerIds.length ? ctx.repos.users.getMany(ownerIds) : Promise.resolve([]),
    Promise.all(videos.items.map((v) => ctx.storage.presignGet(v.storageKey, { responseContentType: v.contentType }))),
  ]);
  const byId = new Map(owners.map((o) => [o.id, personSummary(o)]));
  return {
    videos: videos.items.map((v, i) => ({
      id: v.id,
      title: v.title,
      author: byId.get(v.ownerId) ?? { id: v.ownerId, name: 'Former member', avatar: null, role: 'student' },
      isOwn: v.ownerId === access.user.id,
      likes: v.likeCount,
      comments: v.commentCount,
      createdAt: v.createdAt,
      // A media fragment just past the start: the browser shows that frame as the poster.
      posterUrl: `${posters[i]}#t=0.1`,
      contentType: v.contentType,
      pageUrl: `/videos/${v.id}`,
    })),
    nextCursor: videos.nextCursor,
  };
}
