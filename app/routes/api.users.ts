import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { listUsers } from '~/services/directory.server';
import { apiList, apiRoute, readPage } from '~/utils/api.server';

/** `?q=&role=`: admins search everyone; others see the people they share a course with. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { users, nextCursor } = await listUsers(
    context.services,
    actor,
    Object.fromEntries(url.searchParams),
    readPage(url),
  );
  return apiList({ data: users, count: users.length }, nextCursor);
});
