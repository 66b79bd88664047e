import { data } from '@remix-run/node';
import type { FieldErrors } from './errors';
import { toAppError } from './api.server';
import { AppError } from './errors';
import { CSRF_FIELD } from './csrf';
import { formToObject } from './validation';

/** Fields the guard in front of Remix consumes; no service should see them. */
const TRANSPORT_FIELDS = [CSRF_FIELD];

/**
 * The one FormData reader for page actions. It reads a copy, so a remix-auth strategy can
 * still read the body itself; a body that is not a form is a 400, never a 500.
 */
export async function readForm(request: Request): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    throw new AppError('VALIDATION_ERROR', 'The form could not be read. Reload the page and try again.');
  }
  const values = formToObject(form);
  for (const field of TRANSPORT_FIELDS) delete values[field];
  return values;
}

export interface FormFailure {
  ok: false;
  formError: string;
  fieldErrors: FieldErrors;
  /** What the user typed (never passwords), so nothing is lost on a failed submit. */
  values: Record<string, string>;
  intent?: string;
}

/**
 * Turns a service error into the action data a page renders next to its form.
 * Redirects and other Responses pass through untouched.
 */
export function formFailure(error: unknown, values: Record<string, string> = {}, intent?: string) {
  if (error instanceof Response) throw error;
  const appError = toAppError(error);
  const safeValues = Object.fromEntries(Object.entries(values).filter(([k]) => !/password/i.test(k)));
  const fieldErrors = appError.details?.fields ?? {};
  // Field messages show beside their fields; the summary never repeats one of them.
  const saidAtAField = Object.values(fieldErrors).some((messages) => messages.includes(appError.message));
  const body: FormFailure = {
    ok: false,
    formError:
      (appError.code === 'VALIDATION_ERROR' && Object.keys(fieldErrors).length > 0) || saidAtAField
        ? 'Please correct the fields marked below.'
        : appError.message,
    fieldErrors,
    values: safeValues,
    intent,
  };
  const headers = appError.details?.retryAfterSeconds
    ? { 'Retry-After': String(appError.details.retryAfterSeconds) }
    : undefined;
  return data(body, { status: appError.status, headers });
}
