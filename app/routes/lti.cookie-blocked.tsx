import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { safeRedirectTo } from '~/auth/redirect';
import { HANDOFF_PARAM } from '~/auth/session-handoff.server';

export const meta: MetaFunction = () => [{ title: 'Open ClassCast in a new tab · ClassCast' }];

/**
 * Where a launch lands when the browser refused ClassCast's cookie inside the LMS (Safari,
 * or third-party cookies blocked): the handoff token the launch carried opens the same page
 * in a new, top-level tab, where ClassCast's own cookie works.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get(HANDOFF_PARAM);
  const to = safeRedirectTo(url.searchParams.get('to'), url.origin);
  return { openUrl: token ? `/lti/session?${new URLSearchParams({ [HANDOFF_PARAM]: token, to })}` : null };
}

export default function CookieBlockedPage() {
  const { openUrl } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Open ClassCast in a new tab</h1>
      <p className="mt-3 text-slate-800">
        Your browser blocked ClassCast&apos;s cookie inside the LMS, so ClassCast cannot keep you signed in on this
        page. You can carry on in a new tab: you stay signed in there, and the LMS stays open in this one.
      </p>
      {openUrl ? (
        <p className="mt-6">
          <a
            href={openUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="btn-primary"
            data-testid="open-in-new-tab"
          >
            Open ClassCast in a new tab
            <span className="sr-only"> (opens a new tab)</span>
          </a>
        </p>
      ) : null}
      <p className="mt-4 text-sm text-slate-700">
        The link works for two minutes and once. If it has run out, open the activity again from your LMS course.
      </p>
    </div>
  );
}
