import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { createPlatform, listPlatforms } from '~/services/lti-platforms.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

/** LMS registrations (admins only), in the one list shape. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const { platforms, nextCursor } = await listPlatforms(context.services, actor, readPage(new URL(request.url)));
  return apiList({ data: { platforms } }, nextCursor);
});

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const platform = await createPlatform(context.services, actor, await readBody(request));
  return apiOk({ data: platform }, { status: 201 });
});
