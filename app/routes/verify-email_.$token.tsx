import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { getSignedInUser } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { verifyEmail } from '~/services/email-verification.server';
import { handleForm } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Confirm your email address · ClassCast' }];

// Mail scanners open links on their own: the GET only shows a button, the POST confirms.
export function loader(_: LoaderFunctionArgs) {
  return null;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleForm(request, async () => {
    await verifyEmail(context.services, { token: params.token ?? '' });
    const signedIn = await getSignedInUser(request, context.services);
    return signedIn
      ? { redirectTo: '/dashboard', toast: 'Your email address is confirmed.' }
      : { redirectTo: '/login?verified=1' };
  });
}

export default function VerifyEmailPage() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Confirm your email address</h1>
      {result?.formError ? (
        <div className="card mt-6 space-y-3">
          <FormError message={result.formError} />
          <Link to="/login" className="font-semibold text-brand-700 underline">
            Log in to send a new link
          </Link>
        </div>
      ) : (
        <Form method="post" className="card mt-6 space-y-4">
          <CsrfField />
          <p className="text-slate-800">Press the button to confirm that this address is yours.</p>
          <button type="submit" className="btn-primary w-full" disabled={busy}>
            {busy ? 'Confirming…' : 'Confirm my address'}
          </button>
        </Form>
      )}
    </div>
  );
}
