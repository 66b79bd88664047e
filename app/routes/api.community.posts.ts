import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { createPost, listCoursePosts } from '~/services/posts.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

/** A course's posts, newest first: `?courseId=` is required (no cross-course listing). */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { posts, nextCursor } = await listCoursePosts(
    context.services,
    actor,
    { courseId: url.searchParams.get('courseId') ?? undefined },
    readPage(url),
  );
  return apiList({ posts, count: posts.length }, nextCursor);
});

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const post = await createPost(context.services, actor, await readBody(request));
  return apiOk({ post }, { status: 201 });
});
