import type { ActionFunctionArgs } from '@remix-run/node';
import { resetPassword } from '~/services/password-reset.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  await resetPassword(context.services, await readBody(request));
  return apiOk({ message: 'Password changed. Every session was signed out: log in with the new password.' });
});
