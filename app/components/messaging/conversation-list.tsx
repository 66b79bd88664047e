import { Link } from '@remix-run/react';
import { formatDateTime } from '~/utils/format';
import { PersonAvatar } from '../person-avatar';

export interface ConversationListItem {
  conversationId: string;
  otherUserId: string;
  other: { name: string; avatar: string | null } | null;
  preview: string;
  lastFromMe: boolean;
  lastAt: string;
  unreadCount: number;
}

/** The caller's conversations, newest first: who, the last words, when, and how many are unread. */
export function ConversationList({ conversations }: { conversations: ConversationListItem[] }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="conversations">
      {conversations.map((c) => {
        const person = c.other ?? { name: 'Former user', avatar: null };
        const unread = c.unreadCount > 0;
        return (
          <li key={c.conversationId} className="flex items-center gap-3 px-4 py-3" data-testid="conversation">
            <PersonAvatar person={person} />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <Link
                  to={`/messages/${c.otherUserId}`}
                  className={`underline ${unread ? 'font-bold' : 'font-medium'}`}
                  prefetch="intent"
                >
                  {person.name}
                </Link>
                <time dateTime={c.lastAt} className="text-xs text-slate-600">
                  {formatDateTime(c.lastAt)}
                </time>
              </div>
              <p className="truncate text-sm text-slate-700">
                {c.lastFromMe ? <span className="text-slate-600">You: </span> : null}
                {c.preview}
              </p>
            </div>
            {unread ? (
              <span
                className="inline-flex min-w-[1.5rem] items-center justify-center rounded-full bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white"
                data-testid="unread-badge"
              >
                {c.unreadCount}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
