/**
 * The page a refused LTI login or launch answers with. /lti/login and /lti/launch are resource
 * routes (a cross-site form post from the LMS to a page route would meet Remix's own action
 * origin check, which answers a bare 500), so they render this small document themselves,
 * with the refusal's own status. It is shown inside the LMS's iframe: no site header, one
 * heading, one message in plain words, and a way out of the frame.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import stylesheet from '~/styles/tailwind.css';

export interface FailurePage {
  status: number;
  title: string;
  message: string;
}

function FailureDocument({ page }: { page: FailurePage }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${page.title} · ClassCast`}</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body className="bg-slate-50 text-slate-900 antialiased">
        <main id="main" className="mx-auto w-full max-w-2xl px-4 py-10">
          <p className="text-sm font-semibold text-slate-600">ClassCast · error {page.status}</p>
          <h1 className="mt-1 text-2xl font-bold">{page.title}</h1>
          <p className="mt-3 text-slate-700">{page.message}</p>
          <p className="mt-6">
            <a className="font-semibold text-brand-700 underline" href="/" target="_top">
              Go to ClassCast
            </a>
          </p>
        </main>
      </body>
    </html>
  );
}

export function failurePageResponse(page: FailurePage, headers: Headers = new Headers()): Response {
  headers.set('Content-Type', 'text/html; charset=utf-8');
  // A refusal is about one launch: never cached, never shown for the next one.
  headers.set('Cache-Control', 'no-store');
  return new Response(`<!DOCTYPE html>${renderToStaticMarkup(<FailureDocument page={page} />)}`, {
    status: page.status,
    headers,
  });
}
