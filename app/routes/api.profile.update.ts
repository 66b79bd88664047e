import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { updateProfile } from '~/services/profiles.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** `{userId?, firstName?, lastName?, bio?}`: your own profile, anyone's for an admin. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST', 'PUT');
  const actor = await requireActor(request, context.services);
  const user = await updateProfile(context.services, actor, await readBody(request));
  return apiOk({ user, message: 'Profile saved.' });
});
