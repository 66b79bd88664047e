import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { PASSWORD_MIN } from '~/auth/validation';
import { CsrfField } from '~/components/csrf-field';
import { Field, FormError } from '~/components/form-field';
import { RESET_LINK_INVALID } from '~/services/account-messages';
import { isWellFormedResetLink, resetPassword } from '~/services/password-reset.server';
import { handleForm } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Choose a new password · ClassCast' }];

export function loader({ params }: LoaderFunctionArgs) {
  return { usable: isWellFormedResetLink(params.token ?? '') };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleForm(request, async (values) => {
    await resetPassword(context.services, { token: params.token ?? '', password: values.password });
    return { redirectTo: '/login?reset=1' };
  });
}

export default function ResetPasswordPage() {
  const { usable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const linkFailed = result?.formError === RESET_LINK_INVALID;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {!usable || linkFailed ? (
        <div className="card mt-6 space-y-3" role="alert">
          <p className="text-slate-800">{RESET_LINK_INVALID}</p>
          <Link to="/forgot-password" className="font-semibold text-brand-700 underline">
            Request a new link
          </Link>
        </div>
      ) : (
        <Form method="post" className="card mt-6 space-y-4" noValidate>
          <CsrfField />
          <FormError message={result?.formError} />
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${PASSWORD_MIN} characters.`}
            errors={result?.fieldErrors?.password}
          />
          <p className="text-sm text-slate-700">
            Saving signs you out everywhere: sign in again with the new password.
          </p>
          <button type="submit" className="btn-primary w-full" disabled={busy}>
            {busy ? 'Saving…' : 'Save the new password'}
          </button>
        </Form>
      )}
    </div>
  );
}
