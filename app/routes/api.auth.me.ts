import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { toPublicUser } from '~/services/users.server';
import { apiOk, apiRoute } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  return apiOk({ user: toPublicUser(actor) });
});
