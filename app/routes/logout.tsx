import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { cognitoLogoutUrl } from '~/auth/cognito.server';
import { destroySessionCookie, isEmbeddedSession, signedInWithCognito } from '~/auth/session.server';
import { config } from '~/config.server';

export async function loader() {
  return redirect('/');
}

/**
 * Ends our session (revoked server-side); a session that began at Cognito also ends Cognito's,
 * or the next "Sign in with" would sign the same person straight back in.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const cfg = config();
  const viaCognito = cfg.cognito !== null && (await signedInWithCognito(request));
  // Logging out inside the LMS's frame stays in the frame: the compact home page, not our full site.
  const embedded = await isEmbeddedSession(request);
  const headers = await destroySessionCookie(request, context.services);
  const to =
    viaCognito && cfg.cognito
      ? cognitoLogoutUrl(cfg.cognito, cfg.cognito.logoutUri ?? `${cfg.appUrl}/login`)
      : embedded
        ? '/?embed=1'
        : '/';
  return redirect(to, { headers });
}
