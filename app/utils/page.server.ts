/** The two shapes every page route repeats: load-or-error-page, and submit-then-redirect. */
import { redirect } from '@remix-run/node';
import { flashToast } from '~/auth/session.server';
import { toAppError } from './api.server';
import { AppError } from './errors';
import { formFailure, readForm } from './forms.server';

/** A service error in a page loader becomes an error response the ErrorBoundary renders. */
export function pageError(error: unknown): Response {
  if (error instanceof Response) return error;
  const appError = toAppError(error);
  const headers = appError.details?.retryAfterSeconds
    ? { 'Retry-After': String(appError.details.retryAfterSeconds) }
    : undefined;
  return new Response(appError.message, { status: appError.status, statusText: appError.code, headers });
}

export async function loadOrThrow<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw pageError(error);
  }
}

/**
 * The page a form was posted from, for a post-redirect-get back to it: its path and query,
 * without the `index` marker Remix adds when an index route's form posts.
 */
export function samePage(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete('index');
  return `${url.pathname}${url.search}`;
}

/** Where a successful submit goes, with an optional toast or a new session cookie. */
export interface FormOutcome {
  redirectTo: string;
  toast?: string;
  setCookie?: string;
}

type FormRun = (values: Record<string, string>) => Promise<FormOutcome>;

/**
 * The one form action helper: reads the fields, runs the service call; success redirects
 * (with a toast or a session cookie), failure re-renders the form with its errors and what
 * was typed. A page with several forms passes one handler per `intent`; an intent it does
 * not know is the user's (or a forger's) mistake, a 400 form error.
 */
export async function handleForm(request: Request, run: FormRun | Record<string, FormRun>) {
  let values: Record<string, string> = {};
  let intent: string | undefined;
  try {
    values = await readForm(request);
    intent = typeof run === 'function' ? undefined : values.intent;
    const handler = typeof run === 'function' ? run : intent ? Object.hasOwn(run, intent) && run[intent] : undefined;
    if (!handler)
      throw new AppError('VALIDATION_ERROR', 'This form action is not known. Reload the page and try again.');
    const { redirectTo, toast, setCookie } = await handler(values);
    const cookie = setCookie ?? (toast ? await flashToast(request, toast) : undefined);
    return redirect(redirectTo, { headers: cookie ? { 'Set-Cookie': cookie } : undefined });
  } catch (error) {
    return formFailure(error, values, intent);
  }
}
