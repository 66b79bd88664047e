import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { abortUpload } from '~/services/uploads.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** Cancels an upload: `{fileKey, multipartUploadId?}`; stored parts and objects are removed. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  await abortUpload(context.services, actor, await readBody(request));
  return apiOk({ message: 'Upload cancelled.' });
});
