import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { safeRedirectTo } from '~/auth/redirect';
import { HANDOFF_PARAM, redeemSessionHandoff, type HandoffOutcome } from '~/auth/session-handoff.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Continue in ClassCast · ClassCast' }];

const REFUSED: Record<Exclude<HandoffOutcome, { ok: true }>['reason'], string> = {
  invalid: 'This link is not a ClassCast sign-in link.',
  expired: 'This link has run out (it works for a few minutes only).',
  used: 'This link has been used already (it works once).',
  ended: 'The LMS session it belonged to has ended.',
};

/**
 * A new top-level tab opened from ClassCast inside the LMS: the handoff token becomes a
 * first-party session, and the browser goes on to the page the frame showed.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get(HANDOFF_PARAM) ?? '';
  const outcome = await loadOrThrow(() => redeemSessionHandoff(context.services, token));
  if (outcome.ok) {
    const to = safeRedirectTo(url.searchParams.get('to'), url.origin);
    return redirect(to, { headers: { 'Set-Cookie': outcome.setCookie } });
  }
  return data({ message: REFUSED[outcome.reason] }, { status: outcome.reason === 'invalid' ? 400 : 410 });
}

export default function SessionHandoffPage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">This link cannot sign you in</h1>
      <p className="mt-3 text-slate-800">{message}</p>
      <p className="mt-3 text-slate-800">
        Open the activity again from your LMS course, or{' '}
        <a href="/login" className="font-semibold text-brand-700 underline">
          log in to ClassCast
        </a>
        .
      </p>
    </div>
  );
}
