import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { sendPasswordResetAsAdmin } from '~/services/admin-users.server';
import { apiOk, apiRoute, postOnlyLoader, requireMethod } from '~/utils/api.server';

export const loader = postOnlyLoader;

/** POST → 202: the reset mail is queued (the mail job sends it). */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  await sendPasswordResetAsAdmin(context.services, actor, params.userId ?? '');
  return apiOk({ data: { queued: true } }, { status: 202 });
});
