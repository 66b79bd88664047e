import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { checkCookie } from '~/auth/cookie-check.server';
import { CookieBlockedNotice } from '~/components/cookie-blocked-notice';

export const meta: MetaFunction = () => [{ title: 'Open ClassCast in a new tab · ClassCast' }];

/**
 * The LTI login's stop between setting its state cookie and asking the LMS for an id_token
 * (app/auth/cookie-check.server.ts): on to the LMS when the cookie came back, otherwise the
 * way to launch in a tab of its own.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const outcome = await checkCookie(request, context.services.now());
  if (outcome.kind === 'continue') {
    return redirect(outcome.location, { headers: { 'Cache-Control': 'no-store' } });
  }
  if (outcome.kind === 'invalid') return data({ openUrl: null, invalid: true }, { status: 400 });
  return data({ openUrl: outcome.relaunch, invalid: false }, { headers: { 'Cache-Control': 'no-store' } });
}

export default function CookieCheckPage() {
  const { openUrl, invalid } = useLoaderData<typeof loader>();
  if (invalid) {
    return (
      <div className="mx-auto max-w-xl">
        <h1 className="text-2xl font-bold">Open ClassCast from your LMS</h1>
        <p className="mt-3 text-slate-800">
          This sign-in step has run out or its link was changed. Go back to your course in the LMS and open ClassCast
          there again.
        </p>
      </div>
    );
  }
  return (
    <CookieBlockedNotice
      openUrl={openUrl}
      linkNote="The new tab signs you in through your LMS again. If nothing opens, allow pop-ups for this site or open the activity from your LMS in a new window."
    />
  );
}
