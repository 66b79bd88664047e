import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { deleteMyAccount } from '~/services/account-settings.server';
import { apiOk, apiRoute, loaderAllowing, requireMethod, readBody } from '~/utils/api.server';

export const loader = loaderAllowing('DELETE');

/** DELETE `{confirm: "DELETE"}`: the account is anonymised and signed out everywhere (ADR 026). */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  await deleteMyAccount(context.services, actor, await readBody(request));
  return apiOk({ deleted: true });
});
