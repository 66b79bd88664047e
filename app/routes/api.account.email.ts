import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { requestEmailChange } from '~/services/email-verification.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** `{email, currentPassword}` → 202: a link goes to the new address; the account moves when it is opened. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const { email } = await requestEmailChange(context.services, actor, await readBody(request), context.clientIp);
  return apiOk({ pendingEmail: email, email: actor.email }, { status: 202 });
});
