import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { messageJson, readConversation, sendMessage } from '~/services/messaging.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

/**
 * `?userId1=&userId2=&cursor=&limit=`: the caller's conversation with the other one — the
 * latest page oldest first, `nextCursor` for older. Reading marks the caller's messages read.
 */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { messages, nextCursor } = await readConversation(
    context.services,
    actor,
    Object.fromEntries(url.searchParams),
    readPage(url),
  );
  return apiList({ messages: messages.map(messageJson), count: messages.length }, nextCursor);
});

/** `{toUserId, content}` → 201 `message`, always from the caller. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const message = await sendMessage(context.services, actor, await readBody(request));
  return apiOk({ message: messageJson(message) }, { status: 201 });
});
