import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import type { SignInErrorCode } from '~/auth/cognito-pages.server';
import { clearReturnTo, readReturnTo } from '~/auth/cognito-return.server';
import { authenticateWithCognito, clearStateCookies, CognitoSignInError } from '~/auth/cognito.server';
import { homeFor, safeRedirectTo } from '~/auth/redirect';
import { createUserSessionCookie } from '~/auth/session.server';
import { config } from '~/config.server';
import { signInWithCognito } from '~/services/cognito-accounts.server';
import { AppError } from '~/utils/errors';

/**
 * Where Cognito sends the browser back: state and PKCE checked, the code swapped, the user
 * found or created, then our own session. Every failure lands on the login page with its reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const cfg = config();
  if (!cfg.cognito) throw new Response('Not found', { status: 404 });
  const secure = cfg.appUrl.startsWith('https://');
  const url = new URL(request.url);
  const headers = new Headers();
  for (const cookie of clearStateCookies(request, secure)) headers.append('Set-Cookie', cookie);
  headers.append('Set-Cookie', await clearReturnTo(secure));
  // Without a state the library would start a new flow; a callback without one is refused.
  if (!url.searchParams.get('state')) {
    return failed(url.searchParams.get('error') === 'access_denied' ? 'cancelled' : 'state', headers);
  }
  try {
    const user = await authenticateWithCognito(request, cfg.cognito, {
      secure,
      resolve: (identity) => signInWithCognito(context.services, identity),
    });
    headers.append(
      'Set-Cookie',
      await createUserSessionCookie(context.services, user.id, {
        signedInWith: 'cognito',
        userAgent: request.headers.get('User-Agent'),
      }),
    );
    return redirect(safeRedirectTo(await readReturnTo(request, secure), url.origin, homeFor(user)), { headers });
  } catch (error) {
    const code = failureCode(error);
    if (!code) throw error;
    return failed(code, headers);
  }
}

function failed(code: SignInErrorCode, headers: Headers) {
  return redirect(`/login?${new URLSearchParams({ signInError: code })}`, { headers });
}

function failureCode(error: unknown): SignInErrorCode | null {
  if (error instanceof CognitoSignInError) return error.failure;
  if (!(error instanceof AppError)) return null;
  if (error.code === 'EMAIL_TAKEN') return 'email-taken';
  if (error.code === 'FORBIDDEN') return 'no-email';
  if (error.code === 'SIGN_IN_UNAVAILABLE') return 'unavailable';
  return error.code === 'INVALID_TOKEN' ? 'refused' : null;
}
