import type { MetaFunction } from '@remix-run/node';
import { Link, useRouteLoaderData } from '@remix-run/react';
import { ADMIN_SECTIONS, type loader as adminLoader } from './admin';

export const meta: MetaFunction = () => [{ title: 'Admin · ClassCast' }];

// The layout's loader has already refused anyone but an admin.
export default function AdminHome() {
  const area = useRouteLoaderData<typeof adminLoader>('routes/admin');
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Admin</h1>
      {area ? <p className="text-slate-700">Signed in as {area.adminName}, administrator.</p> : null}
      <ul className="grid gap-3 sm:grid-cols-2">
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.to} className="card">
            <h2 className="font-semibold">
              <Link to={s.to} className="text-brand-700 underline">
                {s.label}
              </Link>
            </h2>
            <p className="mt-1 text-sm text-slate-700">{s.description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
