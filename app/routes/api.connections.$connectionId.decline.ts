import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { endConnection } from '~/services/connections.server';
import { apiOk, apiRoute, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** The requested user turns a pending request down. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  await endConnection(context.services, actor, params.connectionId ?? '', 'decline');
  return apiOk({ message: 'Request declined.' });
});
