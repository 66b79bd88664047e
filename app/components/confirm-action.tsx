import { Form, Link, useNavigation } from '@remix-run/react';
import { FormError } from './form-field';
import { CsrfField } from './csrf-field';

/**
 * The confirmation step of a destructive action: a page of its own, so it works the same
 * with and without JavaScript. Cancel goes back where the user came from.
 */
export function ConfirmAction({
  title,
  children,
  confirmLabel,
  cancelTo,
  error,
  tone = 'danger',
}: {
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  cancelTo: string;
  error?: string | null;
  tone?: 'danger' | 'neutral';
}) {
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">{title}</h1>
      <div className="mt-3 space-y-2 text-slate-800">{children}</div>
      <Form method="post" className="mt-6 space-y-4">
        <CsrfField />
        <FormError message={error} />
        <div className="flex flex-wrap gap-3">
          <button type="submit" className={tone === 'danger' ? 'btn-danger' : 'btn-primary'} disabled={busy}>
            {confirmLabel}
          </button>
          <Link to={cancelTo} className="btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </div>
  );
}
