import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { deletePost, getPost, updatePost } from '~/services/posts.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  return apiOk({ post: await getPost(context.services, actor, params.postId ?? '') });
});

/** PATCH `{title?, content?, isAnnouncement?}`, or DELETE. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'PATCH', 'PUT', 'DELETE');
  const actor = await requireActor(request, context.services);
  const postId = params.postId ?? '';
  if (request.method.toUpperCase() === 'DELETE') {
    await deletePost(context.services, actor, postId);
    return apiOk({ message: 'Post deleted.' });
  }
  return apiOk({ post: await updatePost(context.services, actor, postId, await readBody(request)) });
});
