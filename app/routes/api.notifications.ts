import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { listNotifications } from '~/services/notifications.server';
import { apiList, apiRoute, readPage } from '~/utils/api.server';

/** `?userId=&cursor=&limit=` → the caller's `notifications`, `count`, `unreadCount`, `nextCursor`. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { notifications, unreadCount, nextCursor } = await listNotifications(
    context.services,
    actor,
    Object.fromEntries(url.searchParams),
    readPage(url),
  );
  return apiList({ notifications, count: notifications.length, unreadCount }, nextCursor);
});
