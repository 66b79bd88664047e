import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { CurrentPasswordField, Field, FormError } from '~/components/form-field';
import { requestEmailChange } from '~/services/email-verification.server';
import { handleForm } from '~/utils/page.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return { email: actor.email, emailVerified: actor.emailVerified, hasPassword: actor.passwordHash !== null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    const { email } = await requestEmailChange(context.services, actor, values, context.clientIp);
    return {
      redirectTo: '/settings',
      toast: `We sent a link to ${email}. Your address changes when you open it; until then it stays ${actor.email}.`,
    };
  });
}

export default function ChangeEmailPage() {
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="card space-y-4" aria-labelledby="change-email-heading">
      <h2 id="change-email-heading" className="text-lg font-semibold">
        Change your email address
      </h2>
      <p className="break-all text-slate-800">
        Now: {account.email} {account.emailVerified ? '(confirmed)' : '(not confirmed yet)'}
      </p>
      {account.hasPassword ? (
        <Form method="post" className="space-y-4" noValidate>
          <CsrfField />
          <FormError message={result?.formError} />
          <Field
            label="New email address"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={result?.values?.email}
            hint="We mail a link to the new address; your account moves there when you open it."
            errors={result?.fieldErrors?.email}
          />
          <CurrentPasswordField errors={result?.fieldErrors?.currentPassword} />
          <button type="submit" className="btn-primary">
            Send confirmation link
          </button>
        </Form>
      ) : (
        <p className="text-slate-700">
          You sign in through your school or LMS, so your address is managed there.{' '}
          <Link to="/settings" className="underline">
            Back to settings
          </Link>
        </p>
      )}
    </section>
  );
}
