import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { completeUpload } from '~/services/uploads.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** Completes a multipart upload: `{fileKey, multipartUploadId, parts[{partNumber, etag}]}`. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  await completeUpload(context.services, actor, await readBody(request));
  return apiOk({ message: 'Upload complete.' });
});
