import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useNavigation, type ShouldRevalidateFunction } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CommentForm, CommentThread } from '~/components/community/comment-thread';
import { LikeButton } from '~/components/community/like-button';
import { AnnouncementBadge, Byline } from '~/components/community/post-byline';
import { FormError } from '~/components/form-field';
import { FormattedText } from '~/components/formatted-text';
import { getPostPage } from '~/services/community-page.server';
import { addPostComment, deletePostComment } from '~/services/post-comments.server';
import { likePost } from '~/services/posts.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow, samePage } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.post.title} · Community · ClassCast` : 'Post · Community · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => getPostPage(context.services, actor, params.postId ?? '', readPage(new URL(request.url))));
}

/**
 * A refused form (4xx) changed nothing: the page stays as it was, with the refusal shown
 * beside its form (a failed like falls back to the state the page already had).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus !== undefined && actionStatus >= 400 && actionStatus < 500 ? false : defaultShouldRevalidate;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const postId = params.postId ?? '';
  const back = samePage(request);
  return handleForm(request, {
    like: async (values) => {
      await likePost(context.services, actor, postId, values);
      return { redirectTo: back };
    },
    comment: async (values) => {
      await addPostComment(context.services, actor, postId, values);
      return { redirectTo: `${back}#comments`, toast: values.parentId ? 'Reply posted.' : 'Comment posted.' };
    },
    'delete-comment': async (values) => {
      await deletePostComment(context.services, actor, postId, values.commentId ?? '');
      return { redirectTo: `${back}#comments`, toast: 'Comment deleted.' };
    },
  });
}

export default function PostPage() {
  const { post, course, comments, nextCursor, may } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const stray = result && result.intent !== 'comment' ? result.formError : null;
  return (
    <div className="space-y-8">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/community?courseId=${encodeURIComponent(course.id)}`} className="underline">
          Community: {course.title}
        </Link>{' '}
        / Post
      </nav>
      <FormError message={stray} />

      <article className="space-y-3" aria-labelledby="post-title">
        {post.isAnnouncement ? <AnnouncementBadge /> : null}
        <h1 id="post-title" className="break-words text-2xl font-bold">
          {post.title}
        </h1>
        <Byline author={post.author} authorRole={post.authorRole} timestamp={post.timestamp} />
        <FormattedText text={post.content} className="max-w-prose text-slate-800" />
        <div className="flex flex-wrap items-center gap-4 pt-2">
          <LikeButton post={post} />
          {may.edit || may.announce ? (
            <Link to={`/community/posts/${post.id}/edit`} className="btn-secondary px-3 py-1">
              Edit post
            </Link>
          ) : null}
          {may.delete ? (
            <Link to={`/community/posts/${post.id}/delete`} className="font-semibold text-red-800 underline">
              Delete post
            </Link>
          ) : null}
        </div>
      </article>

      <section aria-labelledby="comments" className="space-y-4">
        <h2 id="comments" className="text-lg font-semibold">
          Comments ({post.comments})
        </h2>
        <div className="card">
          <CommentForm failure={result} busy={busy} />
        </div>
        <CommentThread comments={comments} failure={result} busy={busy} />
        {nextCursor ? (
          <p>
            <Link
              to={`?cursor=${encodeURIComponent(nextCursor)}#comments`}
              className="font-semibold text-brand-700 underline"
            >
              Older comments
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
