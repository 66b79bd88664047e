import type { ActionFunctionArgs } from '@remix-run/node';
import { RESET_REQUESTED } from '~/services/account-messages';
import { requestPasswordReset } from '~/services/password-reset.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** 202 whether or not the address has an account: the answer tells nobody which. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  await requestPasswordReset(context.services, await readBody(request), context.clientIp);
  return apiOk({ message: RESET_REQUESTED }, { status: 202 });
});
