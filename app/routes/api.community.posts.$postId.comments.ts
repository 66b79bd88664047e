import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { addPostComment, listPostComments } from '~/services/post-comments.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

/** Top-level comments, newest first, each with its `replies` (oldest first). */
export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const { comments, nextCursor } = await listPostComments(
    context.services,
    actor,
    params.postId ?? '',
    readPage(new URL(request.url)),
  );
  return apiList({ comments, count: comments.length }, nextCursor);
});

/** `{content, parentId?}`: a comment, or a reply to a top-level comment of this post. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const comment = await addPostComment(context.services, actor, params.postId ?? '', await readBody(request));
  return apiOk({ comment }, { status: 201 });
});
