import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { acceptConnection } from '~/services/connections.server';
import { apiOk, apiRoute, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** Only the requested user accepts a pending request (403 / 409 otherwise). */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST', 'PUT');
  const actor = await requireActor(request, context.services);
  const connection = await acceptConnection(context.services, actor, params.connectionId ?? '');
  return apiOk({ connection, message: 'You are now study buddies.' });
});
