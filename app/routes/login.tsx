import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { Field, FormError } from '~/components/form-field';
import { authenticateWithForm } from '~/auth/authenticator.server';
import { login } from '~/services/accounts.server';
import { getActor } from '~/auth/current-user.server';
import { redirectWithSession, safeRedirectTo } from '~/auth/session.server';
import { formFailure } from '~/utils/forms.server';
import { formToObject } from '~/utils/validation';

export const meta: MetaFunction = () => [{ title: 'Log in · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getActor(request, context.services).catch(() => null)) throw redirect('/dashboard');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formToObject(await request.clone().formData());
  try {
    const user = await authenticateWithForm(request, (form) =>
      login(context.services, formToObject(form), context.clientIp),
    );
    return redirectWithSession(user.id, safeRedirectTo(values.redirectTo));
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function LoginPage() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? {};
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Log in to ClassCast</h1>
      <p className="mt-2 text-slate-700">
        New here?{' '}
        <Link to="/signup" className="font-semibold text-brand-700 underline">
          Create an account
        </Link>
      </p>
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <FormError message={result?.formError} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get('redirectTo') ?? ''} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          errors={errors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.password}
        />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </Form>
    </div>
  );
}
