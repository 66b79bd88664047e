import type { ActionFunctionArgs } from '@remix-run/node';
import { destroySessionCookie } from '~/auth/session.server';
import { revokeRefreshToken } from '~/services/auth-tokens.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const body = await readBody(request);
  await revokeRefreshToken(context.services, body.refreshToken);
  return apiOk({ message: 'Logged out.' }, { headers: await destroySessionCookie(request, context.services) });
});
