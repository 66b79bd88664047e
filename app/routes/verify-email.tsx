import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { resendVerificationMail } from '~/services/email-verification.server';
import { handleForm, samePage } from '~/utils/page.server';

/** The banner's "send the link again": a POST only; a GET goes to the dashboard. */
export function loader() {
  return redirect('/dashboard');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const back = request.headers.get('Referer');
  const origin = new URL(request.url).origin;
  const returnTo = back && back.startsWith(`${origin}/`) ? back.slice(origin.length) : '/dashboard';
  return handleForm(request, async () => {
    const { alreadyVerified } = await resendVerificationMail(context.services, actor, context.clientIp);
    return {
      redirectTo: returnTo === samePage(request) ? '/dashboard' : returnTo,
      toast: alreadyVerified ? 'Your email address is already confirmed.' : `We sent a new link to ${actor.email}.`,
    };
  });
}
