import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { markAllNotificationsRead } from '~/services/notifications.server';
import { apiOk, apiRoute, loaderAllowing, requireMethod } from '~/utils/api.server';

export const loader = loaderAllowing('POST', 'PUT');

/** Marks every unread notification of the caller read → `message`, `count` (how many changed). */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST', 'PUT');
  const actor = await requireActor(request, context.services);
  const { count } = await markAllNotificationsRead(context.services, actor);
  return apiOk({ message: `${count} notification${count === 1 ? '' : 's'} marked as read.`, count });
});
