import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { openAdminArea } from '~/services/admin-area.server';
import { loadOrThrow } from '~/utils/page.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => openAdminArea(actor));
}

export const ADMIN_SECTIONS = [
  {
    to: '/admin/users',
    label: 'Users',
    description: 'Find people, change roles, disable accounts, send password reset mail.',
  },
  { to: '/admin/courses', label: 'Courses', description: 'Every course, with archiving.' },
  { to: '/admin/lti', label: 'LMS platforms', description: 'LMS registrations and the tool’s signing keys.' },
  { to: '/admin/health', label: 'Health', description: 'Database, storage, job and mail queues.' },
] as const;

export default function AdminLayout() {
  return (
    <div className="space-y-6">
      <nav aria-label="Admin" className="border-b border-slate-200 pb-3">
        <ul className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
          <li>
            <NavLink
              to="/admin"
              end
              className={({ isActive }) => (isActive ? 'font-semibold text-slate-900' : 'text-brand-700 underline')}
            >
              Admin home
            </NavLink>
          </li>
          {ADMIN_SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink
                to={s.to}
                className={({ isActive }) => (isActive ? 'font-semibold text-slate-900' : 'text-brand-700 underline')}
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
