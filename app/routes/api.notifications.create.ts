import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { createNotifications } from '~/services/notifications.server';
import { apiOk, apiRoute, postOnlyLoader, readBody, requireMethod } from '~/utils/api.server';

export const loader = postOnlyLoader;

/** `{recipientId or courseId, type, title, message, actionUrl?}` → 201 `notificationIds`, `count`. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const { notificationIds, count } = await createNotifications(context.services, actor, await readBody(request));
  return apiOk({ notificationIds, count }, { status: 201 });
});
