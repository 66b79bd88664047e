import type { MetaFunction } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Settings · ClassCast' }];

const SECTIONS = [
  { to: '/settings', label: 'Account', end: true },
  { to: '/settings/sessions', label: 'Where you are signed in', end: false },
  { to: '/settings/delete', label: 'Delete account', end: false },
];

export default function SettingsLayout() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Settings</h1>
      <nav aria-label="Settings sections" className="flex flex-wrap gap-2">
        {SECTIONS.map((s) => (
          <NavLink
            key={s.to}
            to={s.to}
            end={s.end}
            className={({ isActive }) =>
              `rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-brand-50 text-brand-800' : 'text-slate-700 underline hover:bg-slate-100'}`
            }
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
