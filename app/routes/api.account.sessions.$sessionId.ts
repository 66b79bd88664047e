import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { signOutSession } from '~/services/account-settings.server';
import { apiOk, apiRoute, loaderAllowing, requireMethod } from '~/utils/api.server';

export const loader = loaderAllowing('DELETE');

/** DELETE: signs out one of your own sessions; anyone else's id is 404. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  await signOutSession(context.services, actor, params.sessionId);
  return apiOk({ signedOut: params.sessionId });
});
