import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { PersonAvatar } from '~/components/person-avatar';
import { adminDirectoryPage } from '~/services/directory.server';
import { readPage } from '~/utils/api.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Users · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  return loadOrThrow(() =>
    adminDirectoryPage(context.services, actor, Object.fromEntries(url.searchParams), readPage(url)),
  );
}

export default function AdminUsersPage() {
  const { users, nextCursor, filter } = useLoaderData<typeof loader>();
  const next = new URLSearchParams();
  if (filter.q) next.set('q', filter.q);
  if (filter.role) next.set('role', filter.role);
  if (nextCursor) next.set('cursor', nextCursor);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Users</h1>
      <Form method="get" className="card flex flex-wrap items-end gap-3" role="search">
        <div className="min-w-0 flex-1">
          <label htmlFor="directory-q" className="label">
            Name or email
          </label>
          <input id="directory-q" name="q" type="search" defaultValue={filter.q ?? ''} className="input" />
        </div>
        <div>
          <label htmlFor="directory-role" className="label">
            Role
          </label>
          <select id="directory-role" name="role" defaultValue={filter.role ?? ''} className="input">
            <option value="">Any role</option>
            <option value="student">Student</option>
            <option value="instructor">Instructor</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <button type="submit" className="btn-primary">
          Search
        </button>
      </Form>
      {users.length ? (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="directory">
          {users.map((u) => (
            <li key={u.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
              <PersonAvatar person={{ name: u.fullName, avatar: u.avatar }} />
              <div className="min-w-0">
                <Link to={`/users/${u.id}`} className="font-medium underline">
                  {u.fullName}
                </Link>{' '}
                <span className="text-xs capitalize text-slate-600">{u.role}</span>
                <p className="break-all text-sm text-slate-700">{u.email}</p>
              </div>
              <Link to={`/admin/users/${u.id}`} className="ml-auto font-semibold text-brand-700 underline">
                Manage<span className="sr-only"> {u.fullName}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-700">No users match.</p>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?${next}`} className="font-semibold text-brand-700 underline">
            Next page
          </Link>
        </p>
      ) : null}
    </div>
  );
}
