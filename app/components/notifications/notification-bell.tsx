import { Link, useFetcher } from '@remix-run/react';
import { useEffect, useId, useRef, useState } from 'react';
import { useLiveEvent } from '~/components/live-events';
import { LabelledCount, countPhrase } from './count-badge';
import { NOTIFICATIONS_PATH, OpenNotificationForm, ReadState, type NotificationItemData } from './notification-item';

const LATEST = 5;

function BellIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

const PANEL_WIDTH = 320;
const EDGE = 16;

/**
 * Where the panel goes under the bell: right-aligned with it, but never past either edge of
 * the screen (the header wraps on a phone and puts the bell at the left).
 */
function panelPlacement(anchor: HTMLElement | null): { left: number; width: number } | null {
  if (!anchor) return null;
  const box = anchor.getBoundingClientRect();
  const width = Math.min(PANEL_WIDTH, window.innerWidth - 2 * EDGE);
  const viewportLeft = Math.min(Math.max(EDGE, box.right - width), window.innerWidth - EDGE - width);
  return { left: viewportLeft - box.left, width };
}

const unreadWords = (n: number) =>
  n === 0 ? 'No unread notifications.' : `${n} unread notification${n === 1 ? '' : 's'}.`;

/**
 * The header bell. Without JavaScript it is a link to /notifications showing the unread count;
 * once hydrated it becomes a disclosure button whose panel loads the latest notifications when
 * opened. The count follows the live stream; changes are announced politely.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  const [enhanced, setEnhanced] = useState(false);
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [placement, setPlacement] = useState<{ left: number; width: number } | null>(null);
  const fetcher = useFetcher<{ notifications: NotificationItemData[]; unreadCount: number }>();
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const latest = useRef({ open, load: fetcher.load });
  latest.current = { open, load: fetcher.load };

  // Each navigation's loader brings the server's count.
  useEffect(() => setUnread(initialUnread), [initialUnread]);
  useEffect(() => setEnhanced(true), []);
  useEffect(() => {
    if (fetcher.data) setUnread(fetcher.data.unreadCount);
  }, [fetcher.data]);

  const reload = () => latest.current.load(`${NOTIFICATIONS_PATH}?limit=${LATEST}`);

  useLiveEvent('notification', (data) => {
    setUnread(data.unreadCount);
    setAnnouncement(`New notification. ${unreadWords(data.unreadCount)}`);
    if (latest.current.open) reload();
  });
  useLiveEvent('ready', (data) => setUnread(data.unreadNotifications));

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const toggle = () => {
    if (!open) {
      reload();
      setPlacement(panelPlacement(root.current));
    }
    setOpen(!open);
  };

  const items = fetcher.data?.notifications ?? [];
  // The same face as a link (no JS) or a disclosure button; the name is in aria-label, not
  // only in visually hidden text inside.
  const bellProps = {
    className: 'inline-flex items-center rounded-md px-2 py-1.5 text-slate-700 hover:bg-slate-100',
    'data-testid': 'notification-bell',
    'aria-label': countPhrase('Notifications', unread),
  };
  const bellFace = (
    <>
      <BellIcon />
      <LabelledCount label="Notifications" count={unread} showLabel={false} testId="notification-count" />
    </>
  );
  return (
    <div ref={root} className="relative">
      {enhanced ? (
        <button ref={button} type="button" aria-expanded={open} aria-controls={panelId} onClick={toggle} {...bellProps}>
          {bellFace}
        </button>
      ) : (
        <Link to={NOTIFICATIONS_PATH} {...bellProps}>
          {bellFace}
        </Link>
      )}
      <div
        id={panelId}
        hidden={!open}
        style={placement ?? undefined}
        className="absolute right-0 z-40 mt-2 w-80 rounded-lg border border-slate-200 bg-white shadow-lg"
        data-testid="notification-panel"
      >
        <p className="border-b border-slate-100 px-4 py-2 text-sm font-semibold">Latest notifications</p>
        {fetcher.state === 'loading' && items.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-700">Loading…</p>
        ) : items.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-700">No notifications yet.</p>
        ) : (
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
            {items.map((n) => (
              <li key={n.notificationId} className={`space-y-1 px-4 py-2 ${n.isRead ? '' : 'bg-brand-50/60'}`}>
                <ReadState isRead={n.isRead} />
                <OpenNotificationForm
                  item={n}
                  className="block text-left text-sm font-semibold text-brand-800 underline"
                />
                <p className="line-clamp-2 break-words text-sm text-slate-700">{n.message}</p>
              </li>
            ))}
          </ul>
        )}
        <p className="border-t border-slate-100 px-4 py-2 text-sm">
          <Link
            to={NOTIFICATIONS_PATH}
            className="font-semibold text-brand-800 underline"
            onClick={() => setOpen(false)}
          >
            See all notifications
          </Link>
        </p>
      </div>
      <div aria-live="polite" className="sr-only" data-testid="notification-announcer">
        {announcement}
      </div>
    </div>
  );
}
