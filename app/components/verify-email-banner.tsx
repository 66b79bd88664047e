import { Form } from '@remix-run/react';
import { CsrfField } from './csrf-field';

/** Shown on every page to a signed-in user whose address is not confirmed yet. */
export function VerifyEmailBanner() {
  return (
    <div
      role="region"
      aria-label="Confirm your email address"
      className="mb-6 flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900"
      data-testid="verify-email-banner"
    >
      <p className="min-w-0 flex-1">
        Confirm your email address: open the link we mailed you. Until then ClassCast sends you no other mail.
      </p>
      <Form method="post" action="/verify-email">
        <CsrfField />
        <button type="submit" className="btn-secondary">
          Send the link again
        </button>
      </Form>
    </div>
  );
}
