import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { authenticateWithCognito } from '~/auth/cognito.server';
import { returnToCookie } from '~/auth/cognito-return.server';
import { config } from '~/config.server';
import { signInWithCognito } from '~/services/cognito-accounts.server';

/** Starts a Cognito sign-in: the state cookie and the redirect to the hosted page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const cfg = config();
  if (!cfg.cognito) throw new Response('Not found', { status: 404 });
  const secure = cfg.appUrl.startsWith('https://');
  const start = new URL(request.url);
  // A start URL never carries a callback's state: whatever it says, a new flow begins.
  start.search = '';
  const hint = new URL(request.url).searchParams.get('login_hint');
  if (hint) start.searchParams.set('login_hint', hint);
  try {
    await authenticateWithCognito(new Request(start, { headers: request.headers }), cfg.cognito, {
      secure,
      resolve: (identity) => signInWithCognito(context.services, identity),
    });
  } catch (response) {
    if (!(response instanceof Response)) throw response;
    response.headers.append(
      'Set-Cookie',
      await returnToCookie(new URL(request.url).searchParams.get('redirectTo'), secure),
    );
    return response;
  }
  return redirect('/login');
}
