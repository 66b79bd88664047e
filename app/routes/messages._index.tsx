import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { useLiveEvent } from '~/components/live-events';
import { ConversationList } from '~/components/messaging/conversation-list';
import { NewMessagePicker } from '~/components/messaging/new-message-picker';
import { messagesOverview } from '~/services/messaging.server';
import { readPage } from '~/utils/api.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Messages · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  // The "New message" picker is a GET form: its choice lands here and goes on to the thread.
  const to = url.searchParams.get('to')?.trim();
  if (to) throw redirect(`/messages/${encodeURIComponent(to)}`);
  return loadOrThrow(() => messagesOverview(context.services, actor, readPage(url)));
}

export default function MessagesPage() {
  const { conversations, nextCursor, people } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  useLiveEvent('message', () => {
    if (revalidator.state === 'idle') revalidator.revalidate();
  });
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Messages</h1>
        <p className="mt-1 text-slate-700">
          Private conversations with your classmates, instructors and study buddies.
        </p>
      </div>
      <section aria-labelledby="new-message">
        <h2 id="new-message" className="text-lg font-semibold">
          Start a conversation
        </h2>
        <div className="mt-3">
          <NewMessagePicker people={people} />
        </div>
      </section>
      <section aria-labelledby="conversations-heading">
        <h2 id="conversations-heading" className="text-lg font-semibold">
          Conversations
        </h2>
        <div className="mt-3">
          {conversations.length ? (
            <ConversationList conversations={conversations} />
          ) : (
            <p className="text-sm text-slate-700">No conversations yet.</p>
          )}
        </div>
        {nextCursor ? (
          <p className="mt-3">
            <Link to={`?cursor=${encodeURIComponent(nextCursor)}`} className="font-semibold text-brand-700 underline">
              Older conversations
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
