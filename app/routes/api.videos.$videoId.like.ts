import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { likeVideo } from '~/services/video-interactions.server';
import { apiOk, apiRoute, postOnlyLoader, readBody, requireMethod } from '~/utils/api.server';

export const loader = postOnlyLoader;

/** `{isLiked?}` (absent toggles) → the original's `likes`/`isLiked`, plus `liked`/`likeCount`. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const { liked, likeCount } = await likeVideo(context.services, actor, params.videoId ?? '', await readBody(request));
  return apiOk({ likes: likeCount, isLiked: liked, liked, likeCount });
});
