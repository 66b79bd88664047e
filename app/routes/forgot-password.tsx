import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { CsrfField } from '~/components/csrf-field';
import { Field, FormError } from '~/components/form-field';
import { RESET_REQUESTED } from '~/services/account-messages';
import { requestPasswordReset } from '~/services/password-reset.server';
import { handleForm } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Forgot password · ClassCast' }];

export async function action({ request, context }: ActionFunctionArgs) {
  return handleForm(request, async (values) => {
    await requestPasswordReset(context.services, values, context.clientIp);
    return { redirectTo: '/forgot-password?sent=1' };
  });
}

export default function ForgotPasswordPage() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const sent = params.get('sent') === '1';
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Forgot your password?</h1>
      {sent ? (
        <p role="status" className="card mt-6 text-slate-800" data-testid="reset-requested">
          {RESET_REQUESTED}
        </p>
      ) : (
        <p className="mt-2 text-slate-700">
          Enter the email address of your account and we will mail you a link to choose a new password.
        </p>
      )}
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.values?.email}
          errors={result?.fieldErrors?.email}
        />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? 'Sending…' : sent ? 'Send another link' : 'Send me a link'}
        </button>
      </Form>
      <p className="mt-4 text-slate-700">
        Remembered it?{' '}
        <Link to="/login" className="font-semibold text-brand-700 underline">
          Log in
        </Link>
      </p>
    </div>
  );
}
