import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { endConnection, getConnection } from '~/services/connections.server';
import { apiOk, apiRoute, requireMethod } from '~/utils/api.server';

/** One connection, to either of its two people. */
export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const connection = await getConnection(context.services, actor, params.connectionId ?? '');
  return apiOk({ connection });
});

/** DELETE: either side ends it (cancel, decline or remove). */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  await endConnection(context.services, actor, params.connectionId ?? '', 'remove');
  return apiOk({ message: 'Connection removed.' });
});
