import { Form } from '@remix-run/react';
import { CsrfField } from './csrf-field';

/** Shown on every page to a signed-in user whose address is not confirmed yet. */
export function VerifyEmailBanner() {
  return (
    <div
      role="region"
      aria-label="Confirm your email address"
      className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      data-testid="verify-email-banner"
    >
      <p className="min-w-0 flex-1">Confirm your email address: open the link we mailed you.</p>
      <Form method="post" action="/verify-email">
        <CsrfField />
        <button type="submit" className="font-semibold underline">
          Mail it again
        </button>
      </Form>
    </div>
  );
}
