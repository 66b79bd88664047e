import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { markNotificationRead } from '~/services/notifications.server';
import { apiOk, apiRoute, loaderAllowing, requireMethod } from '~/utils/api.server';

export const loader = loaderAllowing('POST', 'PUT');

/** Marks one of the caller's notifications read (the original UI sends PUT); another's id is a 404. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST', 'PUT');
  const actor = await requireActor(request, context.services);
  const notification = await markNotificationRead(context.services, actor, params.notificationId ?? '');
  return apiOk({ message: 'Notification marked as read.', notification });
});
