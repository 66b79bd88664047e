import type { ActionFunctionArgs } from '@remix-run/node';
import { clearStateCookie, hasStateCookie } from '~/auth/lti-state-cookie.server';
import { withSessionHandoff } from '~/auth/session-handoff.server';
import { createUserSessionCookie } from '~/auth/session.server';
import { launchFailurePage } from '~/services/lti-launch-failures.server';
import { completeLtiLaunch } from '~/services/lti-launch.server';
import { readForm } from '~/utils/forms.server';
import { failurePageResponse } from '~/utils/lti-failure-page.server';
import { logInfo, logWarn } from '~/utils/log.server';

/**
 * The LMS's form post of the id_token (LTI 1.3 core §5.1.1.3, response_mode=form_post). A
 * resource route: the post comes from the LMS's origin, which Remix's own action check (page
 * routes only) would refuse; the one CSRF guard in server.ts accepts registered platform
 * origins for this path, and the state cookie proves the browser is the one that logged in.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request).catch(() => ({}) as Record<string, string>);
  const state = form.state ?? null;
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  const cleared = state ? clearStateCookie(state) : null;
  if (cleared) headers.append('Set-Cookie', cleared);
  try {
    const launch = await completeLtiLaunch(context.services, {
      idToken: form.id_token ?? null,
      platformError: form.error ? `${form.error}: ${form.error_description ?? ''}`.trim() : null,
      state,
      stateCookiePresent: state ? hasStateCookie(request, state) : false,
    });
    const session = await createUserSessionCookie(context.services, launch.user.id, {
      embedded: true,
      userAgent: request.headers.get('User-Agent'),
    });
    headers.append('Set-Cookie', session);
    // Where the browser refuses the frame's cookie (Safari), the one-time token in the URL signs the next page in.
    headers.set('Location', await withSessionHandoff(launch.redirectTo, session, context.services.now()));
    logInfo('LTI launch', { messageType: launch.messageType, courseId: launch.courseId, userId: launch.user.id });
    // 303: the browser follows with a GET, never re-posting the token.
    return new Response(null, { status: 303, headers });
  } catch (error) {
    const failure = launchFailurePage(error);
    logWarn('LTI launch refused', { reason: failure.reason, detail: failure.detail });
    return failurePageResponse(failure, headers);
  }
}

/** A launch is only ever a POST from the LMS; a bookmarked or reloaded /lti/launch lands here. */
export function loader() {
  return failurePageResponse({
    status: 405,
    title: 'Open ClassCast from your LMS',
    message:
      'This address is where your LMS signs you in to ClassCast. Go to your course in the LMS and open ClassCast there.',
  });
}
