import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { removeAvatar } from '~/services/avatars.server';
import { apiOk, apiRoute, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** DELETE: back to initials; the stored image is deleted. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  return apiOk({ user: await removeAvatar(context.services, actor) });
});
