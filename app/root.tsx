import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { data } from '@remix-run/node';
import { LiveEventsProvider } from '~/components/live-events';
import { SessionStorageFallback } from '~/components/session-storage-fallback';
import { EmbeddedBar, type EmbeddedView } from '~/components/embedded-bar';
import { SiteHeader } from '~/components/site-header';
import { Toast } from '~/components/toast';
import { VerifyEmailBanner } from '~/components/verify-email-banner';
import { getSignedInUser } from '~/auth/current-user.server';
import { HANDOFF_PARAM, handoffTokenFor } from '~/auth/session-handoff.server';
import { isEmbeddedSession, readToast, signedInWithCognito } from '~/auth/session.server';
import { csrfTokenForRequest } from '~/utils/csrf.server';
import { loadOrThrow } from '~/utils/page.server';
import { headerCounts } from '~/services/notifications.server';
import { displayName } from '~/services/users.server';
import stylesheet from '~/styles/tailwind.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [
  { title: 'ClassCast' },
  { name: 'description', content: 'Video answers, feedback and community for your classes.' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Every page runs this first: a busy data store must answer 503 here, not a 500.
  const { actor, toast, cookie, counts } = await loadOrThrow(async () => {
    const actor = await getSignedInUser(request, context.services);
    const [{ toast, cookie }, counts] = await Promise.all([
      readToast(request),
      actor ? headerCounts(context.services, actor) : null,
    ]);
    return { actor, toast, cookie, counts };
  });
  return data(
    {
      user: actor
        ? { id: actor.id, name: displayName(actor), role: actor.role, emailVerified: actor.emailVerified }
        : null,
      counts,
      toast,
      embedded: await embeddedView(request, context.services.now(), actor !== null),
      csrfToken: await csrfTokenForRequest(request),
    },
    cookie ? { headers: { 'Set-Cookie': cookie } } : undefined,
  );
}

/**
 * Inside an LMS iframe (an LTI session, or a page asked for with ?embed=1) the compact
 * layout: the LMS frames us with its own navigation, and our header would be a second one.
 */
async function embeddedView(request: Request, now: Date, signedIn: boolean): Promise<EmbeddedView | null> {
  const url = new URL(request.url);
  if (!(await isEmbeddedSession(request)) && url.searchParams.get('embed') !== '1') return null;
  url.searchParams.delete('embed');
  url.searchParams.delete(HANDOFF_PARAM);
  url.searchParams.delete('_data');
  const here = `${url.pathname}${url.search}`;
  // A new tab does not see the frame's cookie: a signed-in person's link carries a handoff.
  const token = signedIn ? await handoffTokenFor(request, now) : null;
  return {
    newTabUrl: token ? `/lti/session?${new URLSearchParams({ [HANDOFF_PARAM]: token, to: here })}` : here,
    logoutLeavesFrame: await signedInWithCognito(request),
  };
}

export type RootLoader = typeof loader;

/** An error page keeps the error's Retry-After (a busy data store, utils/page.server.ts). */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const retryAfter = errorHeaders?.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

function Document({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <SessionStorageFallback />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  return <Document>{children}</Document>;
}

export default function App() {
  const { user, counts, toast, embedded } = useLoaderData<typeof loader>();
  return (
    <LiveEventsProvider userId={user?.id ?? null}>
      {embedded ? <EmbeddedBar user={user} view={embedded} /> : <SiteHeader user={user} counts={counts} />}
      <main id="main" className={embedded ? 'w-full px-3 py-4' : 'mx-auto w-full max-w-5xl px-4 py-8 sm:px-6'}>
        {toast ? <Toast message={toast} /> : null}
        {user && !user.emailVerified && !embedded ? <VerifyEmailBanner /> : null}
        <Outlet />
      </main>
    </LiveEventsProvider>
  );
}

/** Plain words per status; a service's own message only where it is written for people. */
const ERROR_TEXT: Record<number, { title: string; message: string }> = {
  400: { title: 'That did not work', message: 'The link or form was not quite right. Go back and try again.' },
  401: { title: 'Please log in', message: 'Log in to see this page.' },
  403: { title: 'Not allowed', message: 'You do not have access to this page.' },
  404: { title: 'Page not found', message: 'We could not find that page. It may have moved or been removed.' },
  500: { title: 'Something went wrong', message: 'Sorry, that is our fault. Please try again in a moment.' },
  503: {
    title: 'Busy right now',
    message:
      'ClassCast is very busy at the moment and could not finish this. Nothing was lost: try again in a few seconds.',
  },
};

/** Service errors arrive with their code as statusText (utils/page.server.ts); Remix's own never do. */
const SERVICE_CODE = /^[A-Z][A-Z_]+$/;
const PEOPLE_FACING_STATUSES = new Set([403, 404, 409]);

export function ErrorBoundary() {
  const error = useRouteError();
  const rootData = useRouteLoaderData<typeof loader>('root');
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = ERROR_TEXT[status] ?? (status >= 500 ? ERROR_TEXT[500] : ERROR_TEXT[400]);
  const serviceMessage =
    isRouteErrorResponse(error) &&
    PEOPLE_FACING_STATUSES.has(status) &&
    SERVICE_CODE.test(error.statusText) &&
    typeof error.data === 'string'
      ? error.data
      : null;
  return (
    <>
      {rootData?.embedded ? (
        <EmbeddedBar user={rootData.user} view={rootData.embedded} />
      ) : (
        <SiteHeader user={rootData?.user ?? null} counts={rootData?.counts ?? null} />
      )}
      <main
        id="main"
        className={rootData?.embedded ? 'w-full px-3 py-8' : 'mx-auto w-full max-w-3xl px-4 py-16 sm:px-6'}
      >
        <p className="text-sm font-semibold text-slate-600">Error {status}</p>
        <h1 className="mt-1 text-2xl font-bold">{text.title}</h1>
        <p className="mt-3 text-slate-700">{serviceMessage ?? text.message}</p>
        <p className="mt-6">
          <a className="font-semibold text-brand-700 underline" href={rootData?.user ? '/dashboard' : '/'}>
            {rootData?.user ? 'Go to your dashboard' : 'Go to the home page'}
          </a>
        </p>
      </main>
    </>
  );
}
