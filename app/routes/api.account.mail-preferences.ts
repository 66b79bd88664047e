import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { updateMailPreferences } from '~/services/account-settings.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  return apiOk({ mailPreferences: actor.mailPreferences });
});

/** PUT `{grades, messages, announcements, digest}` (booleans; one left out is off). */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'PUT', 'PATCH');
  const actor = await requireActor(request, context.services);
  let body = await readBody(request);
  // PATCH changes only the choices it names.
  if (request.method.toUpperCase() === 'PATCH') body = { ...actor.mailPreferences, ...body };
  return apiOk({ mailPreferences: await updateMailPreferences(context.services, actor, body) });
});
