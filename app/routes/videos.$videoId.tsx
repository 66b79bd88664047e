import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { FormattedText } from '~/components/formatted-text';
import { VideoPlayer } from '~/components/video-player';
import { CommentForm } from '~/components/video-social/comment-form';
import { CommentList } from '~/components/video-social/comment-list';
import { LikeButton } from '~/components/video-social/like-button';
import { requireActor } from '~/auth/current-user.server';
import { addVideoComment, deleteVideoComment, likeVideo } from '~/services/video-interactions.server';
import { watchVideo } from '~/services/videos.server';
import { readPage } from '~/utils/api.server';
import { formatDateTime } from '~/utils/format';
import { parseMoment } from '~/utils/moment';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.video.title} · ClassCast` : 'Video · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const page = await loadOrThrow(() => watchVideo(context.services, actor, params.videoId ?? '', readPage(url)));
  // `?t=` is where a moment link (without JavaScript) opens the player; nonsense is ignored.
  return { ...page, startAt: parseMoment(url.searchParams.get('t') ?? '') };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const videoId = params.videoId ?? '';
  const here = new URL(request.url);
  here.searchParams.delete('index');
  const back = `${here.pathname}${here.search}`;
  return handleForm(request, {
    like: async (values) => {
      await likeVideo(context.services, actor, videoId, values);
      return { redirectTo: back };
    },
    comment: async (values) => {
      const comment = await addVideoComment(context.services, actor, videoId, { ...values, type: 'comment' });
      return { redirectTo: `${back}#comment-${comment.id}`, toast: 'Comment posted.' };
    },
    respond: async (values) => {
      const response = await addVideoComment(context.services, actor, videoId, { ...values, type: 'response' });
      return { redirectTo: `${back}#comment-${response.id}`, toast: 'Response posted.' };
    },
    delete: async (values) => {
      await deleteVideoComment(context.services, actor, videoId, values.interactionId ?? '');
      return { redirectTo: `${back}#comments`, toast: 'Comment deleted.' };
    },
  });
}

export default function VideoPage() {
  const { video, playbackUrl, assignment, canSeeSubmission, discussion, responseChoices, startAt } =
    useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const isReply = Boolean(failure?.values?.parentId);
  return (
    <article className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/courses/${video.courseId}`} className="underline">
          {video.courseName ?? 'Course'}
        </Link>
        {assignment ? (
          <>
            {' / '}
            <Link to={`/assignments/${assignment.id}`} className="underline">
              {assignment.title}
            </Link>
          </>
        ) : null}
      </nav>
      <h1 className="text-2xl font-bold">{video.title}</h1>
      <VideoPlayer src={playbackUrl} type={video.contentType} title={video.title} startAt={startAt} />
      <div className="flex flex-wrap items-center gap-4">
        <LikeButton liked={discussion.isLiked} likes={discussion.likes} />
        <a href="#comments" className="text-sm text-slate-700 underline" data-testid="comment-count">
          {discussion.comments} {discussion.comments === 1 ? 'comment' : 'comments'}
        </a>
      </div>
      <p className="text-sm text-slate-700">
        By <span className="font-medium">{video.userName}</span> · {formatDateTime(video.createdAt)} ·{' '}
        <span data-testid="view-count">
          {video.views} {video.views === 1 ? 'view' : 'views'}
        </span>
      </p>
      <FormattedText text={video.description} className="max-w-prose text-slate-800" />
      {canSeeSubmission && video.submissionId ? (
        <p>
          <Link to={`/submissions/${video.submissionId}`} className="font-semibold text-brand-700 underline">
            Submission, grade and feedback
          </Link>
        </p>
      ) : null}

      <section aria-labelledby="comments" className="space-y-4 pt-4">
        <h2 id="comments" className="scroll-mt-4 text-xl font-semibold">
          Comments
        </h2>
        {failure?.intent === 'like' || failure?.intent === 'delete' ? <FormError message={failure.formError} /> : null}
        <div className="card">
          <CommentForm
            label="Add a comment"
            submitLabel="Post comment"
            failure={failure?.intent === 'comment' && !isReply ? failure : null}
          />
        </div>
        {discussion.interactions.length ? (
          <CommentList
            comments={discussion.interactions}
            replyFailure={failure?.intent === 'comment' && isReply ? failure : null}
          />
        ) : (
          <p className="text-slate-700">No comments yet. Be the first to say something.</p>
        )}
        {discussion.nextCursor ? (
          <p>
            <Link
              to={`?cursor=${encodeURIComponent(discussion.nextCursor)}#comments`}
              className="font-semibold text-brand-700 underline"
            >
              Older comments
            </Link>
          </p>
        ) : null}
        <RespondWithVideo choices={responseChoices} failure={failure?.intent === 'respond' ? failure : null} />
      </section>
    </article>
  );
}

/** A response links one of the viewer's own videos; uploading a new one happens on its assignment. */
function RespondWithVideo({
  choices,
  failure,
}: {
  choices: Array<{ id: string; title: string }>;
  failure: { formError?: string; fieldErrors?: Record<string, string[]> } | null;
}) {
  if (!choices.length) return null;
  const errors = failure?.fieldErrors ?? {};
  return (
    <details className="card" open={Boolean(failure) || undefined}>
      <summary className="cursor-pointer font-semibold">Respond with one of your videos</summary>
      <Form method="post" className="mt-3 space-y-3" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="respond" />
        <FormError message={failure?.formError} />
        <div>
          <label htmlFor="responseVideoId" className="label">
            Your video
          </label>
          <select id="responseVideoId" name="responseVideoId" className="input">
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="response-content" className="label">
            What it answers
          </label>
          <textarea
            id="response-content"
            name="content"
            rows={2}
            maxLength={2000}
            className="input"
            aria-invalid={errors.content ? true : undefined}
            aria-describedby={errors.content ? 'response-content-error' : undefined}
          />
          {errors.content ? (
            <p id="response-content-error" className="mt-1 text-sm text-red-700">
              {errors.content.join(' ')}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn-secondary py-1.5">
          Post response
        </button>
      </Form>
    </details>
  );
}
