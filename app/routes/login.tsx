import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Field, FormError } from '~/components/form-field';
import { authenticateWithForm } from '~/auth/authenticator.server';
import { getSignedInUser } from '~/auth/current-user.server';
import { homeFor, safeRedirectTo } from '~/auth/redirect';
import { createUserSessionCookie } from '~/auth/session.server';
import { schoolSignIn } from '~/auth/cognito-pages.server';
import { CsrfField } from '~/components/csrf-field';
import { SchoolSignIn } from '~/components/school-sign-in';
import { login } from '~/services/accounts.server';
import { handleForm } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Log in · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await getSignedInUser(request, context.services);
  if (signedIn) throw redirect(homeFor(signedIn));
  return { schoolSignIn: schoolSignIn(request) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleForm(request, async (values) => {
    const user = await authenticateWithForm(request, (form) => login(context.services, form, context.clientIp));
    return {
      redirectTo: safeRedirectTo(values.redirectTo, new URL(request.url).origin, homeFor(user)),
      setCookie: await createUserSessionCookie(context.services, user.id, {
        userAgent: request.headers.get('User-Agent'),
      }),
    };
  });
}

export default function LoginPage() {
  const result = useActionData<typeof action>();
  const { schoolSignIn } = useLoaderData<typeof loader>();
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
      {params.get('reset') === '1' ? (
        <p role="status" className="card mt-6 text-slate-800" data-testid="password-changed">
          Your password was changed and every session was signed out. Log in with the new password.
        </p>
      ) : null}
      {params.get('verified') === '1' ? (
        <p role="status" className="card mt-6 text-slate-800">
          Your email address is confirmed. Log in to go on.
        </p>
      ) : null}
      {schoolSignIn.label ? <SchoolSignIn label={schoolSignIn.label} redirectTo={params.get('redirectTo')} /> : null}
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError ?? schoolSignIn.error ?? undefined} />
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
        <p className="text-sm">
          <Link to="/forgot-password" className="font-semibold text-brand-700 underline">
            Forgot password?
          </Link>
        </p>
      </Form>
    </div>
  );
}
