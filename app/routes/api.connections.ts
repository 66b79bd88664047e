import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { listConnections, requestConnection } from '~/services/connections.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

/** `?userId=&status=`: the caller's own connections (admins: anyone's), each with the other person. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { connections, nextCursor } = await listConnections(
    context.services,
    actor,
    Object.fromEntries(url.searchParams),
    readPage(url),
  );
  return apiList({ connections, count: connections.length }, nextCursor);
});

/** `{requestedId}` → 201 with the new request, 200 with the pair's existing row. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const { connection, created, message } = await requestConnection(context.services, actor, await readBody(request));
  return apiOk({ connection, message }, { status: created ? 201 : 200 });
});
