import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { startAvatarUpload } from '~/services/avatars.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** `{contentType, fileSize}` → a presigned PUT for a PNG/JPEG/WebP of at most 2 MB. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  return apiOk({ data: await startAvatarUpload(context.services, actor, await readBody(request)) });
});
