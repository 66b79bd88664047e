import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { deleteVideoComment } from '~/services/video-interactions.server';
import { apiOk, apiRoute, postOnlyLoader, readBody, requireMethod } from '~/utils/api.server';
import { AppError } from '~/utils/errors';

export const loader = postOnlyLoader;

/** DELETE, or POST with `_action=delete` (what an HTML form can send). */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE', 'POST');
  const actor = await requireActor(request, context.services);
  if (request.method.toUpperCase() === 'POST' && (await readBody(request))._action !== 'delete') {
    throw new AppError('VALIDATION_ERROR', 'Send DELETE, or POST with _action=delete.', {
      fields: { _action: ['Only delete is supported here.'] },
    });
  }
  await deleteVideoComment(context.services, actor, params.videoId ?? '', params.interactionId ?? '');
  return apiOk({ message: 'Comment deleted.' });
});
