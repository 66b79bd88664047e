import { Form, Link, NavLink } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { CsrfField } from '~/components/csrf-field';
import { useLiveEvent } from '~/components/live-events';
import { LabelledCount, countPhrase } from '~/components/notifications/count-badge';
import { NotificationBell } from '~/components/notifications/notification-bell';

export interface HeaderUser {
  id: string;
  name: string;
  role: 'student' | 'instructor' | 'admin';
}

/** The header's unread numbers, from the root loader (one service call). */
export interface HeaderCounts {
  unreadNotifications: number;
  unreadMessages: number;
}

const ROLE_LABEL: Record<HeaderUser['role'], string> = {
  student: 'Student',
  instructor: 'Instructor',
  admin: 'Admin',
};

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-brand-50 text-brand-800' : 'text-slate-700 hover:bg-slate-100'}`;

/** Main navigation; `roles` limits an entry to those roles. Later features add theirs here. */
const NAV: { to: string; label: string; roles?: HeaderUser['role'][] }[] = [
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/feed', label: 'Feed', roles: ['student'] },
  { to: '/community', label: 'Community' },
  { to: '/connections', label: 'Study buddies' },
  { to: '/profile', label: 'Profile' },
  { to: '/settings', label: 'Settings' },
  { to: '/admin', label: 'Admin', roles: ['admin'] },
];

/** "Messages" with its unread badge, kept current by the live stream. */
function MessagesNavLink({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  useEffect(() => setUnread(initialUnread), [initialUnread]);
  useLiveEvent('message', (data) => setUnread(data.unreadMessages));
  useLiveEvent('ready', (data) => setUnread(data.unreadMessages));
  return (
    <NavLink
      to="/messages"
      className={navClass}
      data-testid="messages-link"
      aria-label={countPhrase('Messages', unread)}
    >
      <LabelledCount label="Messages" count={unread} showLabel testId="messages-count" />
    </NavLink>
  );
}

/** The shared header; later features add their entries to NAV. */
export function SiteHeader({ user, counts }: { user: HeaderUser | null; counts: HeaderCounts | null }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
        <Link to={user ? '/dashboard' : '/'} className="text-lg font-bold text-brand-800">
          ClassCast
        </Link>
        {user ? (
          <div className="flex flex-wrap items-center gap-2">
            <nav aria-label="Main">
              <ul className="flex flex-wrap items-center gap-1">
                {NAV.filter((item) => !item.roles || item.roles.includes(user.role)).map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} className={navClass}>
                      {item.label}
                    </NavLink>
                  </li>
                ))}
                <li>
                  <MessagesNavLink initialUnread={counts?.unreadMessages ?? 0} />
                </li>
              </ul>
            </nav>
            <NotificationBell initialUnread={counts?.unreadNotifications ?? 0} />
            <span className="text-sm text-slate-700">
              <span className="font-medium" data-testid="header-user-name">
                {user.name}
              </span>{' '}
              <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{ROLE_LABEL[user.role]}</span>
            </span>
            <Form method="post" action="/logout">
              <CsrfField />
              <button type="submit" className="btn-secondary py-1.5">
                Log out
              </button>
            </Form>
          </div>
        ) : (
          <nav aria-label="Account">
            <ul className="flex items-center gap-2">
              <li>
                <Link to="/login" className="btn-secondary py-1.5">
                  Log in
                </Link>
              </li>
              <li>
                <Link to="/signup" className="btn-primary py-1.5">
                  Sign up
                </Link>
              </li>
            </ul>
          </nav>
        )}
      </div>
    </header>
  );
}
