import type { ActionFunctionArgs } from '@remix-run/node';
import { refreshTokens } from '~/services/auth-tokens.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const body = await readBody(request);
  return apiOk({ tokens: await refreshTokens(context.services, body.refreshToken) });
});
