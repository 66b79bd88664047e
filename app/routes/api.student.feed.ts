import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getStudentFeed } from '~/services/feed.server';
import { apiList, apiRoute } from '~/utils/api.server';

/** `?userId=&cursor=&limit=` → `feed`, `courses`, `nextCursor` (userId defaults to the caller). */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { feed, courses, nextCursor } = await getStudentFeed(context.services, actor, {
    userId: url.searchParams.get('userId') ?? undefined,
    cursor: url.searchParams.get('cursor') ?? undefined,
    limit: url.searchParams.get('limit') ?? undefined,
  });
  return apiList({ feed, courses }, nextCursor);
});
