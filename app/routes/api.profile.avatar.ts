import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { removeAvatar } from '~/services/avatars.server';
import { apiOk, apiRoute, requireMethod } from '~/utils/api.server';

/** Only DELETE lives here: a GET answers 405 naming it. */
export const loader = apiRoute(async ({ request }: LoaderFunctionArgs) => {
  requireMethod(request, 'DELETE');
  return apiOk({});
});

/** DELETE: back to initials; the stored image is deleted. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  return apiOk({ user: await removeAvatar(context.services, actor) });
});
