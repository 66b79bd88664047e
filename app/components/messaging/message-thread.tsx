import { FormattedText } from '../formatted-text';
import { formatDateTime } from '~/utils/format';

export interface ThreadMessage {
  id: string;
  fromUserId: string;
  content: string;
  createdAt: string;
}

/**
 * A conversation in reading order. The list is a polite live region, so a message that
 * arrives while the page is open (JS on) is read out without moving focus.
 */
export function MessageThread({
  messages,
  viewerId,
  otherName,
}: {
  messages: ThreadMessage[];
  viewerId: string;
  otherName: string;
}) {
  return (
    <div role="log" aria-label={`Messages with ${otherName}`} aria-live="polite">
      {messages.length ? (
        <ol className="space-y-3" data-testid="thread">
          {messages.map((m) => {
            const mine = m.fromUserId === viewerId;
            return (
              <li key={m.id} className={`flex ${mine ? 'justify-end' : 'justify-start'}`} data-testid="message">
                <div
                  className={`max-w-[85%] rounded-lg border px-4 py-2 ${
                    mine ? 'border-brand-100 bg-brand-50' : 'border-slate-200 bg-white'
                  }`}
                >
                  <p className="text-xs text-slate-700">
                    <span className="font-semibold">{mine ? 'You' : otherName}</span>
                    {' · '}
                    <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                  </p>
                  <FormattedText text={m.content} className="mt-1 text-slate-900" />
                </div>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="text-sm text-slate-700">No messages yet. Say hello!</p>
      )}
    </div>
  );
}
