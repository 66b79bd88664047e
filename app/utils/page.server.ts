/** The two shapes every page route repeats: load-or-error-page, and submit-then-redirect. */
import { redirect } from '@remix-run/node';
import { flashToast } from '~/auth/session.server';
import { toAppError } from './api.server';
import { formFailure } from './forms.server';
import { formToObject } from './validation';

/** A service error in a page loader becomes an error response the ErrorBoundary renders. */
export function pageError(error: unknown): Response {
  if (error instanceof Response) return error;
  const appError = toAppError(error);
  return new Response(appError.message, { status: appError.status, statusText: appError.code });
}

export async function loadOrThrow<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw pageError(error);
  }
}

/**
 * A form action: reads the fields, runs the service call; success redirects (with a toast),
 * failure re-renders the form with its errors and what was typed.
 */
export async function handleForm(
  request: Request,
  run: (values: Record<string, string>) => Promise<{ redirectTo: string; toast?: string }>,
) {
  const values = formToObject(await request.formData());
  try {
    const { redirectTo, toast } = await run(values);
    const headers = toast ? { 'Set-Cookie': await flashToast(request, toast) } : undefined;
    return redirect(redirectTo, { headers });
  } catch (error) {
    return formFailure(error, values);
  }
}
