import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { listVideos } from '~/services/videos.server';
import { apiList, apiRoute, readPage } from '~/utils/api.server';

/** `?courseId=&assignmentId=&userId=&limit=&cursor=` → `videos`, `count`, `nextCursor`. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const page = readPage(url);
  const filters = {
    courseId: url.searchParams.get('courseId') ?? undefined,
    assignmentId: url.searchParams.get('assignmentId') ?? undefined,
    userId: url.searchParams.get('userId') ?? undefined,
  };
  const { videos, nextCursor } = await listVideos(context.services, actor, filters, page);
  return apiList({ videos, count: videos.length }, nextCursor);
});
