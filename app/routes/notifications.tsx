import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { FormattedText } from '~/components/formatted-text';
import {
  NotificationWhen,
  OpenNotificationForm,
  ReadState,
  type NotificationItemData,
} from '~/components/notifications/notification-item';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  openNotification,
} from '~/services/notifications.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow, samePage } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Notifications · ClassCast' }];

/** Also the bell's dropdown source (`?limit=`), read by a fetcher. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  return loadOrThrow(() => listNotifications(context.services, actor, {}, readPage(url)));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const ctx = context.services;
  const back = samePage(request);
  return handleForm(request, {
    open: (v) => openNotification(ctx, actor, v.notificationId ?? ''),
    read: async (v) => {
      await markNotificationRead(ctx, actor, v.notificationId ?? '');
      return { redirectTo: back, toast: 'Marked as read.' };
    },
    'read-all': async () => {
      const { count } = await markAllNotificationsRead(ctx, actor);
      return { redirectTo: back, toast: `${count} notification${count === 1 ? '' : 's'} marked as read.` };
    },
  });
}

function MarkReadButton({ item }: { item: NotificationItemData }) {
  return (
    <Form method="post">
      <CsrfField />
      <input type="hidden" name="notificationId" value={item.notificationId} />
      <button type="submit" name="intent" value="read" className="btn-secondary py-1 text-sm">
        Mark read<span className="sr-only">: {item.title}</span>
      </button>
    </Form>
  );
}

export default function NotificationsPage() {
  const { notifications, unreadCount, nextCursor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const paged = params.has('cursor');
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Notifications</h1>
          <p className="mt-1 text-slate-700" data-testid="unread-summary">
            {unreadCount === 0 ? 'You are all caught up.' : `${unreadCount} unread.`}
          </p>
        </div>
        {unreadCount > 0 ? (
          <Form method="post">
            <CsrfField />
            <button type="submit" name="intent" value="read-all" className="btn-secondary">
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      <FormError message={result?.formError} />
      {notifications.length === 0 ? (
        <p className="text-slate-700">{paged ? 'No older notifications.' : 'No notifications yet.'}</p>
      ) : (
        <ol
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
          data-testid="notifications"
        >
          {notifications.map((n) => (
            <li
              key={n.notificationId}
              className={`flex flex-wrap items-start justify-between gap-3 px-4 py-3 ${n.isRead ? '' : 'border-l-4 border-brand-600 bg-brand-50/40'}`}
              data-testid="notification"
              data-read={n.isRead ? 'true' : 'false'}
            >
              <div className="min-w-0 flex-1 space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <ReadState isRead={n.isRead} />
                  <NotificationWhen at={n.createdAt} />
                </div>
                <OpenNotificationForm item={n} />
                <FormattedText text={n.message} className="text-sm text-slate-800" />
              </div>
              {n.isRead ? null : <MarkReadButton item={n} />}
            </li>
          ))}
        </ol>
      )}
      {paged || nextCursor ? (
        <nav aria-label="Notification pages" className="flex gap-3">
          {paged ? (
            <Link to="/notifications" className="btn-secondary">
              Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link to={`/notifications?cursor=${encodeURIComponent(nextCursor)}`} className="btn-secondary">
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
