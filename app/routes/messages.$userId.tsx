import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useRevalidator } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { useLiveEvent } from '~/components/live-events';
import { MessageThread } from '~/components/messaging/message-thread';
import { SendMessageForm } from '~/components/messaging/send-message-form';
import { PersonAvatar } from '~/components/person-avatar';
import { MESSAGE_MAX, openThread, sendMessage } from '~/services/messaging.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Messages with ${data.other.name} · ClassCast` : 'Messages · ClassCast' },
];

/** Opening the thread marks what the caller received in it read. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const page = readPage(new URL(request.url));
    return {
      ...(await openThread(context.services, actor, params.userId ?? '', page)),
      olderPage: Boolean(page.cursor),
      maxLength: MESSAGE_MAX,
    };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const userId = params.userId ?? '';
  return handleForm(request, async (values) => {
    await sendMessage(context.services, actor, { toUserId: userId, content: values.content });
    return { redirectTo: `/messages/${encodeURIComponent(userId)}` };
  });
}

export default function ThreadPage() {
  const { other, viewerId, conversationId, messages, olderCursor, mayReply, olderPage, maxLength } =
    useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const revalidator = useRevalidator();
  useLiveEvent('message', (event) => {
    if (event.conversationId === conversationId && revalidator.state === 'idle') revalidator.revalidate();
  });
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p>
        <Link to="/messages" className="text-sm font-semibold text-brand-700 underline">
          All conversations
        </Link>
      </p>
      <div className="flex items-center gap-3">
        <PersonAvatar person={other} />
        <h1 className="text-2xl font-bold">
          Messages with{' '}
          <Link to={`/users/${other.id}`} className="underline">
            {other.name}
          </Link>
        </h1>
      </div>
      {olderCursor || olderPage ? (
        <p className="flex flex-wrap gap-4 text-sm">
          {olderCursor ? (
            <Link to={`?cursor=${encodeURIComponent(olderCursor)}`} className="font-semibold text-brand-700 underline">
              Older messages
            </Link>
          ) : null}
          {olderPage ? (
            <Link to="." className="font-semibold text-brand-700 underline">
              Latest messages
            </Link>
          ) : null}
        </p>
      ) : null}
      <MessageThread messages={messages} viewerId={viewerId} otherName={other.name} />
      {mayReply ? (
        <SendMessageForm toName={other.name} maxLength={maxLength} failure={failure} />
      ) : (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-800">
          You can no longer write to {other.name}: you share no course and are not study buddies.
        </p>
      )}
    </div>
  );
}
