import type { ActionFunctionArgs } from '@remix-run/node';
import { getCurrentSessionId, requireActor } from '~/auth/current-user.server';
import { changePassword } from '~/services/account-settings.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** `{currentPassword, newPassword}`: every other session (cookie or token) is signed out; this one stays. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const result = await changePassword(
    context.services,
    actor,
    await getCurrentSessionId(request),
    await readBody(request),
  );
  return apiOk(result);
});
