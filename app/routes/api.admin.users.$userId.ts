import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getUserForAdmin, updateUserAsAdmin } from '~/services/admin-users.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const { user } = await getUserForAdmin(context.services, actor, params.userId ?? '');
  return apiOk({ data: user });
});

/** PATCH {role?, disabled?} → the user (admins only; never their own role or access). */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'PATCH');
  const actor = await requireActor(request, context.services);
  return apiOk({
    data: await updateUserAsAdmin(context.services, actor, params.userId ?? '', await readBody(request)),
  });
});
