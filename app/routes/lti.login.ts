import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { stateCookie } from '~/auth/lti-state-cookie.server';
import { launchFailurePage } from '~/services/lti-launch-failures.server';
import { beginLtiLogin } from '~/services/lti-launch.server';
import { failurePageResponse } from '~/utils/lti-failure-page.server';
import { logWarn } from '~/utils/log.server';
import { readForm } from '~/utils/forms.server';

/**
 * LTI 1.3 third-party initiated login (core §5.1.1): the LMS sends the browser here, by GET or
 * by a form POST, and we send it on to the LMS's OIDC endpoint with a fresh state and nonce.
 * A resource route: the POST comes from the LMS's origin (see app/utils/lti-failure-page.server.tsx).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return login(request, context.services, Object.fromEntries(new URL(request.url).searchParams));
}

export async function action({ request, context }: ActionFunctionArgs) {
  // An unreadable body is just a login request without its fields: the same plain 400 page.
  const params = await readForm(request).catch(() => ({}));
  return login(request, context.services, params);
}

async function login(
  request: Request,
  ctx: LoaderFunctionArgs['context']['services'],
  params: Record<string, unknown>,
) {
  try {
    const { redirectUrl, state } = await beginLtiLogin(ctx, params);
    return new Response(null, {
      status: 302,
      headers: { Location: redirectUrl, 'Set-Cookie': stateCookie(state), 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    const failure = launchFailurePage(error);
    logWarn('LTI login refused', {
      reason: failure.reason,
      detail: failure.detail,
      iss: typeof params.iss === 'string' ? params.iss : null,
      method: request.method,
    });
    return failurePageResponse(failure);
  }
}
