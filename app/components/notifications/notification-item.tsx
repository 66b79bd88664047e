import { Form } from '@remix-run/react';
import { CsrfField } from '~/components/csrf-field';
import { formatDateTime } from '~/utils/format';

/** A notification as the page and the bell show it (the service's view, text already collapsed). */
export interface NotificationItemData {
  notificationId: string;
  title: string;
  message: string;
  isRead: boolean;
  createdAt: string;
  actionUrl: string;
}

export const NOTIFICATIONS_PATH = '/notifications';

/**
 * Opening is a form POST, not a link: the same request marks it read (CSRF-checked) and
 * redirects to what it is about, with or without JavaScript.
 */
export function OpenNotificationForm({ item, className }: { item: NotificationItemData; className?: string }) {
  return (
    <Form method="post" action={NOTIFICATIONS_PATH} className="min-w-0">
      <CsrfField />
      <input type="hidden" name="notificationId" value={item.notificationId} />
      <button
        type="submit"
        name="intent"
        value="open"
        className={className ?? 'text-left font-semibold text-brand-800 underline decoration-1 underline-offset-2'}
      >
        {item.title}
      </button>
    </Form>
  );
}

/** Read state in words as well as colour (a dot alone is lost on screen readers and in greyscale). */
export function ReadState({ isRead }: { isRead: boolean }) {
  return isRead ? (
    <span className="text-xs text-slate-600">Read</span>
  ) : (
    <span className="inline-flex items-center gap-1 rounded bg-brand-50 px-1.5 py-0.5 text-xs font-semibold text-brand-800">
      <span aria-hidden="true" className="h-2 w-2 rounded-full bg-brand-600" />
      Unread
    </span>
  );
}

export function NotificationWhen({ at }: { at: string }) {
  return (
    <time dateTime={at} className="text-xs text-slate-600">
      {formatDateTime(at)}
    </time>
  );
}
