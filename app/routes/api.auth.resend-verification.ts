import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { resendVerificationMail } from '~/services/email-verification.server';
import { apiOk, apiRoute, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const { alreadyVerified } = await resendVerificationMail(context.services, actor, context.clientIp);
  return apiOk({ sent: !alreadyVerified, emailVerified: alreadyVerified }, { status: alreadyVerified ? 200 : 202 });
});
