import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { ConfirmAction } from '~/components/confirm-action';
import { getPostForDelete } from '~/services/community-page.server';
import { deletePost } from '~/services/posts.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Delete post · Community · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => getPostForDelete(context.services, actor, params.postId ?? ''));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const { courseId } = await deletePost(context.services, actor, params.postId ?? '');
    return { redirectTo: `/community?courseId=${encodeURIComponent(courseId)}`, toast: 'Post deleted.' };
  });
}

export default function DeletePost() {
  const { post } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ConfirmAction
      title="Delete this post?"
      confirmLabel="Delete post"
      cancelTo={`/community/posts/${post.id}`}
      error={result?.formError}
    >
      <p>
        “<span className="break-words">{post.title}</span>” by {post.author} will be removed with its {post.comments}{' '}
        {post.comments === 1 ? 'comment' : 'comments'} and {post.likes} {post.likes === 1 ? 'like' : 'likes'}. This
        cannot be undone.
      </p>
    </ConfirmAction>
  );
}
