import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { listVideoInteractions, postVideoInteraction } from '~/services/video-interactions.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { interactions, nextCursor } = await listVideoInteractions(
    context.services,
    actor,
    params.videoId ?? '',
    { type: url.searchParams.get('type') || undefined },
    readPage(url),
  );
  return apiList({ interactions, count: interactions.length }, nextCursor);
});

/** A comment or response → 201 `{interaction}`; `type: like` answers as POST …/like does. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const posted = await postVideoInteraction(context.services, actor, params.videoId ?? '', await readBody(request));
  if (posted.kind === 'like') {
    const { liked, likeCount } = posted;
    return apiOk({ likes: likeCount, isLiked: liked, liked, likeCount });
  }
  return apiOk({ interaction: posted.interaction }, { status: 201 });
});
