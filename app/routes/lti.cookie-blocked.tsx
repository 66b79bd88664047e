import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { safeRedirectTo } from '~/auth/redirect';
import { HANDOFF_PARAM } from '~/auth/session-handoff.server';
import { CookieBlockedNotice } from '~/components/cookie-blocked-notice';

export const meta: MetaFunction = () => [{ title: 'Open ClassCast in a new tab · ClassCast' }];

/**
 * Where a launch lands when the browser refused ClassCast's session cookie inside the LMS:
 * the handoff token the launch carried opens the same page in a new, top-level tab, where
 * ClassCast's own cookie works.
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
    <CookieBlockedNotice
      openUrl={openUrl}
      linkNote="The link works for a few minutes and once. If it has run out, open the activity again from your LMS course."
    />
  );
}
