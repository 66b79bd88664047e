import type { ActionFunctionArgs } from '@remix-run/node';
import { createUserSessionCookie } from '~/auth/session.server';
import { signup } from '~/services/accounts.server';
import { issueTokens } from '~/services/auth-tokens.server';
import { toPublicUser } from '~/services/users.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const user = await signup(context.services, await readBody(request));
  const tokens = await issueTokens(context.services, user);
  return apiOk(
    { user: toPublicUser(user), tokens },
    {
      status: 201,
      headers: {
        'Set-Cookie': await createUserSessionCookie(context.services, user.id, {
          userAgent: request.headers.get('User-Agent'),
        }),
      },
    },
  );
});
