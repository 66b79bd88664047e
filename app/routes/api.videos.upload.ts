import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { startUpload } from '~/services/uploads.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/**
 * Starts a direct-to-S3 upload: `{fileName, contentType, fileSize, assignmentId}` →
 * `data` with either one presigned PUT (`presignedUrl`, `headers`) or a multipart upload
 * (`multipartUploadId`, `partSize`, `parts[{partNumber,url}]`), plus the `fileKey` to finalize.
 */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const upload = await startUpload(context.services, actor, await readBody(request));
  return apiOk({ data: { ...upload, videoUrl: `/videos/${upload.uploadId}` } });
});
