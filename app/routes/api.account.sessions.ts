import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { getCurrentSessionId, requireActor } from '~/auth/current-user.server';
import { listMySessions, signOutOtherSessions } from '~/services/account-settings.server';
import { apiList, apiOk, apiRoute, requireMethod } from '~/utils/api.server';

/** Where you are signed in: device, last seen, and which one is this request's. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const sessions = await listMySessions(context.services, actor, await getCurrentSessionId(request));
  return apiList({ sessions, count: sessions.length }, null);
});

/** DELETE: "sign out everywhere else" (this session stays). */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  return apiOk(await signOutOtherSessions(context.services, actor, await getCurrentSessionId(request)));
});
