import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { getCookieSessionId } from '~/auth/session.server';
import { PASSWORD_MIN } from '~/auth/validation';
import { CsrfField } from '~/components/csrf-field';
import { CurrentPasswordField, Field, FormError } from '~/components/form-field';
import { changeName, changePassword, updateMailPreferences } from '~/services/account-settings.server';
import { handleForm } from '~/utils/page.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return {
    firstName: actor.firstName,
    lastName: actor.lastName,
    email: actor.email,
    emailVerified: actor.emailVerified,
    hasPassword: actor.passwordHash !== null,
    mail: actor.mailPreferences,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, {
    name: async (values) => {
      await changeName(context.services, actor, values);
      return { redirectTo: '/settings', toast: 'Your name is saved.' };
    },
    password: async (values) => {
      const { revokedSessions } = await changePassword(
        context.services,
        actor,
        await getCookieSessionId(request),
        values,
      );
      const others = revokedSessions === 1 ? '1 other session was' : `${revokedSessions} other sessions were`;
      return { redirectTo: '/settings', toast: `Your password is changed; ${others} signed out.` };
    },
    mail: async (values) => {
      await updateMailPreferences(context.services, actor, values);
      return { redirectTo: '/settings', toast: 'Your mail choices are saved.' };
    },
  });
}

const MAIL_CHOICES = [
  { name: 'grades', label: 'A mail when my work is graded' },
  { name: 'messages', label: 'A mail for each direct message' },
  { name: 'announcements', label: 'Course announcements by mail' },
  { name: 'digest', label: 'One daily digest of everything else' },
] as const;

export default function AccountSettingsPage() {
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = (intent: string) => (result?.intent === intent ? result : undefined);
  const nameResult = failed('name');
  const passwordResult = failed('password');
  const mailResult = failed('mail');
  return (
    <div className="space-y-6">
      <section className="card space-y-4" aria-labelledby="name-heading">
        <h2 id="name-heading" className="text-lg font-semibold">
          Your name
        </h2>
        <Form method="post" className="space-y-4" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="name" />
          <FormError message={nameResult?.formError} />
          <Field
            label="First name"
            name="firstName"
            required
            defaultValue={nameResult?.values?.firstName ?? account.firstName}
            errors={nameResult?.fieldErrors?.firstName}
          />
          <Field
            label="Last name"
            name="lastName"
            required
            defaultValue={nameResult?.values?.lastName ?? account.lastName}
            errors={nameResult?.fieldErrors?.lastName}
          />
          <button type="submit" className="btn-primary">
            Save name
          </button>
        </Form>
      </section>

      <section className="card space-y-2" aria-labelledby="email-heading">
        <h2 id="email-heading" className="text-lg font-semibold">
          Email address
        </h2>
        <p className="break-all text-slate-800">
          {account.email} {account.emailVerified ? '(confirmed)' : '(not confirmed yet)'}
        </p>
        <Link to="/settings/email" className="inline-block font-medium underline">
          Change email address
        </Link>
      </section>

      <section className="card space-y-4" aria-labelledby="password-heading">
        <h2 id="password-heading" className="text-lg font-semibold">
          Password
        </h2>
        {account.hasPassword ? (
          <Form method="post" className="space-y-4" noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="password" />
            <FormError message={passwordResult?.formError} />
            <CurrentPasswordField errors={passwordResult?.fieldErrors?.currentPassword} />
            <Field
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              hint={`At least ${PASSWORD_MIN} characters. Your other sessions are signed out.`}
              errors={passwordResult?.fieldErrors?.newPassword}
            />
            <button type="submit" className="btn-primary">
              Change password
            </button>
          </Form>
        ) : (
          <p className="text-slate-700">You sign in through your school or LMS, so there is no ClassCast password.</p>
        )}
      </section>

      <section className="card space-y-4" aria-labelledby="mail-heading">
        <h2 id="mail-heading" className="text-lg font-semibold">
          Mail
        </h2>
        <Form method="post" className="space-y-3">
          <CsrfField />
          <input type="hidden" name="intent" value="mail" />
          <FormError message={mailResult?.formError} />
          {MAIL_CHOICES.map((choice) => (
            <div key={choice.name} className="flex items-center gap-2">
              <input
                id={`mail-${choice.name}`}
                type="checkbox"
                name={choice.name}
                value="on"
                defaultChecked={account.mail[choice.name]}
                className="h-4 w-4"
              />
              <label htmlFor={`mail-${choice.name}`}>{choice.label}</label>
            </div>
          ))}
          <button type="submit" className="btn-primary">
            Save mail choices
          </button>
        </Form>
      </section>
    </div>
  );
}
