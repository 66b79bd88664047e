import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { presignParts } from '~/services/uploads.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** Fresh part URLs for a retry: `{fileKey, multipartUploadId, partNumbers}` → `data.parts`. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  return apiOk({ data: await presignParts(context.services, actor, await readBody(request)) });
});
