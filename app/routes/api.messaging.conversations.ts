import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { conversationJson, listConversations } from '~/services/messaging.server';
import { apiList, apiRoute, readPage } from '~/utils/api.server';

/** `?userId=&cursor=&limit=`: the caller's own conversations (403 for anyone else's), newest first. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { conversations, nextCursor } = await listConversations(
    context.services,
    actor,
    Object.fromEntries(url.searchParams),
    readPage(url),
  );
  return apiList({ conversations: conversations.map(conversationJson), count: conversations.length }, nextCursor);
});
