import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getProfile } from '~/services/profiles.server';
import { apiOk, apiRoute } from '~/utils/api.server';

/** `?userId=` (default: the caller): email and private fields only to self, their instructors and admins. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const userId = new URL(request.url).searchParams.get('userId');
  return apiOk({ data: await getProfile(context.services, actor, userId) });
});
