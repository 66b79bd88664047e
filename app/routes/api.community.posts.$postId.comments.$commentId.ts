import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { deletePostComment } from '~/services/post-comments.server';
import { apiOk, apiRoute, loaderAllowing, requireMethod } from '~/utils/api.server';

export const loader = loaderAllowing('DELETE');

/** Deletes a comment (with its replies): its author or the course's instructor. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'DELETE');
  const actor = await requireActor(request, context.services);
  await deletePostComment(context.services, actor, params.postId ?? '', params.commentId ?? '');
  return apiOk({ message: 'Comment deleted.' });
});
