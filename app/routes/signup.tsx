import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Field, FormError } from '~/components/form-field';
import { getSignedInUser } from '~/auth/current-user.server';
import { safeRedirectTo } from '~/auth/redirect';
import { createUserSessionCookie } from '~/auth/session.server';
import { schoolSignIn } from '~/auth/cognito-pages.server';
import { CsrfField } from '~/components/csrf-field';
import { SchoolSignIn } from '~/components/school-sign-in';
import { PASSWORD_MIN } from '~/auth/validation';
import { signup } from '~/services/accounts.server';
import { handleForm } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Sign up · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getSignedInUser(request, context.services)) throw redirect('/dashboard');
  return { schoolSignIn: schoolSignIn(request) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleForm(request, async (values) => {
    const user = await signup(context.services, values);
    return {
      redirectTo: safeRedirectTo(values.redirectTo, new URL(request.url).origin),
      setCookie: await createUserSessionCookie(context.services, user.id, {
        userAgent: request.headers.get('User-Agent'),
      }),
    };
  });
}

export default function SignupPage() {
  const result = useActionData<typeof action>();
  const { schoolSignIn } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? {};
  const errors = result?.fieldErrors ?? {};
  const role = values.role ?? params.get('role') ?? 'student';
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Create your ClassCast account</h1>
      <p className="mt-2 text-slate-700">
        Already have one?{' '}
        <Link to="/login" className="font-semibold text-brand-700 underline">
          Log in
        </Link>
      </p>
      {schoolSignIn.label ? <SchoolSignIn label={schoolSignIn.label} redirectTo={params.get('redirectTo')} /> : null}
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError ?? schoolSignIn.error ?? undefined} />
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <fieldset>
          <legend className="label">I am a</legend>
          <div className="mt-2 flex gap-6">
            {(['student', 'instructor'] as const).map((r) => (
              <label key={r} className="flex items-center gap-2 text-sm">
                <input type="radio" name="role" value={r} defaultChecked={role === r} />
                {r === 'student' ? 'Student' : 'Instructor'}
              </label>
            ))}
          </div>
          {errors.role ? <p className="mt-1 text-sm text-red-700">{errors.role.join(' ')}</p> : null}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="First name"
            name="firstName"
            autoComplete="given-name"
            required
            defaultValue={values.firstName}
            errors={errors.firstName}
          />
          <Field
            label="Last name"
            name="lastName"
            autoComplete="family-name"
            required
            defaultValue={values.lastName}
            errors={errors.lastName}
          />
        </div>
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
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          errors={errors.password}
        />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? 'Creating account…' : 'Sign up'}
        </button>
      </Form>
    </div>
  );
}
