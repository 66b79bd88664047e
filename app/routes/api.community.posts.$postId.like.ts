import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { likePost } from '~/services/posts.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** `{isLiked?}`: true likes, false unlikes, absent toggles. Answers `{likes, isLiked}`. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  return apiOk(await likePost(context.services, actor, params.postId ?? '', await readBody(request)));
});
