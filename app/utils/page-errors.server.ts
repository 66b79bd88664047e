import { toAppError } from './api.server';

/** A service error in a page loader becomes an error response the ErrorBoundary renders. */
export function pageError(error: unknown): Response {
  if (error instanceof Response) return error;
  const appError = toAppError(error);
  return new Response(appError.message, { status: appError.status, statusText: appError.code });
}
