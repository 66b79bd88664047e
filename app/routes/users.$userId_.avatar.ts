import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { avatarDownloadUrl } from '~/services/avatars.server';
import { apiRoute } from '~/utils/api.server';

/**
 * The avatar image: a redirect to a short-lived storage URL. The link carries the image's
 * version (`?v=`), so the browser may keep the redirect a while — privately, since only
 * signed-in people see avatars.
 */
export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = await avatarDownloadUrl(context.services, actor, params.userId ?? '');
  return redirect(url, { headers: { 'Cache-Control': 'private, max-age=600' } });
});
