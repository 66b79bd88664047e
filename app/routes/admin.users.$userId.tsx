import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { getUserForAdmin, sendPasswordResetAsAdmin, updateUserAsAdmin } from '~/services/admin-users.server';
import { handleForm, loadOrThrow, samePage } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.fullName ?? 'User'} · Admin · ClassCast` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => getUserForAdmin(context.services, actor, params.userId ?? ''));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const userId = params.userId ?? '';
  return handleForm(request, {
    role: async (values) => {
      const user = await updateUserAsAdmin(context.services, actor, userId, { role: values.role });
      return {
        redirectTo: samePage(request),
        toast: `${user.fullName} is now ${user.role === 'student' ? 'a' : 'an'} ${user.role}.`,
      };
    },
    disable: async () => {
      const user = await updateUserAsAdmin(context.services, actor, userId, { disabled: true });
      return { redirectTo: samePage(request), toast: `${user.fullName} is disabled and signed out everywhere.` };
    },
    enable: async () => {
      const user = await updateUserAsAdmin(context.services, actor, userId, { disabled: false });
      return { redirectTo: samePage(request), toast: `${user.fullName} can sign in again.` };
    },
    'password-reset': async () => {
      await sendPasswordResetAsAdmin(context.services, actor, userId);
      return { redirectTo: samePage(request), toast: 'A password reset mail is on its way.' };
    },
  });
}

export default function AdminUserPage() {
  const { user, isSelf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = (intent: string) => (result?.intent === intent ? result.formError : null);
  return (
    <div className="space-y-6">
      <p>
        <Link to="/admin/users" className="text-sm text-brand-700 underline">
          All users
        </Link>
      </p>
      <div>
        <h1 className="text-2xl font-bold">{user.fullName}</h1>
        <p className="break-all text-slate-700">{user.email}</p>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-semibold">Role</dt>
          <dd className="capitalize" data-testid="user-role">
            {user.role}
          </dd>
          <dt className="font-semibold">Account</dt>
          <dd data-testid="user-status">{user.disabled ? 'Disabled' : 'Active'}</dd>
          <dt className="font-semibold">Email</dt>
          <dd>{user.emailVerified ? 'Verified' : 'Not verified'}</dd>
        </dl>
        {isSelf ? (
          <p className="mt-3 text-sm text-slate-700">This is you: another administrator changes your role or access.</p>
        ) : null}
      </div>

      <section className="card space-y-3" aria-labelledby="role-heading">
        <h2 id="role-heading" className="font-semibold">
          Role
        </h2>
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <CsrfField />
          <input type="hidden" name="intent" value="role" />
          <div>
            <label htmlFor="user-role-select" className="label">
              New role
            </label>
            <select id="user-role-select" name="role" defaultValue={user.role} className="input">
              <option value="student">Student</option>
              <option value="instructor">Instructor</option>
              <option value="admin">Admin</option>
            </select>
          </div>
          <button type="submit" className="btn-primary">
            Change role
          </button>
        </Form>
        <FormError message={failed('role')} />
      </section>

      <section className="card space-y-3" aria-labelledby="access-heading">
        <h2 id="access-heading" className="font-semibold">
          Access
        </h2>
        <p className="text-sm text-slate-700">
          {user.disabled
            ? 'This account is disabled: it cannot sign in.'
            : 'Disabling an account signs it out everywhere and stops it signing in.'}
        </p>
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value={user.disabled ? 'enable' : 'disable'} />
          <button type="submit" className={user.disabled ? 'btn-primary' : 'btn-danger'}>
            {user.disabled ? 'Enable account' : 'Disable account'}
          </button>
        </Form>
        <FormError message={failed('disable') ?? failed('enable')} />
      </section>

      <section className="card space-y-3" aria-labelledby="reset-heading">
        <h2 id="reset-heading" className="font-semibold">
          Password
        </h2>
        <p className="text-sm text-slate-700">Sends a link to {user.email} that lets them choose a new password.</p>
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="password-reset" />
          <button type="submit" className="btn-secondary">
            Send password reset mail
          </button>
        </Form>
        <FormError message={failed('password-reset')} />
      </section>
    </div>
  );
}
