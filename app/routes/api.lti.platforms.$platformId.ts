import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { deletePlatform, getPlatform, updatePlatform } from '~/services/lti-platforms.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  return apiOk({ data: await getPlatform(context.services, actor, params.platformId ?? '') });
});

export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'PATCH', 'DELETE');
  const actor = await requireActor(request, context.services);
  const id = params.platformId ?? '';
  if (request.method.toUpperCase() === 'DELETE') {
    const platform = await deletePlatform(context.services, actor, id);
    return apiOk({ data: { id: platform.id, deleted: true } });
  }
  return apiOk({ data: await updatePlatform(context.services, actor, id, await readBody(request)) });
});
