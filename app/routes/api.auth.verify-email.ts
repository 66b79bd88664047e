import type { ActionFunctionArgs } from '@remix-run/node';
import { verifyEmail } from '~/services/email-verification.server';
import { toPublicUser } from '~/services/users.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const user = await verifyEmail(context.services, await readBody(request));
  return apiOk({ user: toPublicUser(user) });
});
