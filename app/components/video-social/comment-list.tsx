import { Form, Link } from '@remix-run/react';
import { CsrfField } from '~/components/csrf-field';
import { FormattedText } from '~/components/formatted-text';
import type { InteractionView } from '~/services/video-social-view';
import { formatDateTime } from '~/utils/format';
import { CommentForm, type CommentFormFailure } from './comment-form';
import { MomentLink } from './moment-link';
import { PersonBadge } from './person-badge';

interface ListProps {
  /** Where the form posts; the current page when left out. */
  action?: string;
  comments: InteractionView[];
  /** Replies are offered where viewers may discuss (not on the instructor's feedback list). */
  allowReplies?: boolean;
  /** The failed reply form's data, to show beside the comment it answered. */
  replyFailure?: (CommentFormFailure & { values?: Record<string, string> }) | null;
}

export function CommentList({ action, comments, allowReplies = true, replyFailure }: ListProps) {
  return (
    <ul className="space-y-4" data-testid="comment-list">
      {comments.map((comment) => (
        <li key={comment.id} id={`comment-${comment.id}`} className="card">
          <CommentBody action={action} comment={comment} />
          {comment.replies?.length ? (
            <ul className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4" aria-label="Replies">
              {comment.replies.map((reply) => (
                <li key={reply.id} id={`comment-${reply.id}`}>
                  <CommentBody action={action} comment={reply} />
                </li>
              ))}
            </ul>
          ) : null}
          {allowReplies ? (
            <details className="mt-3" open={replyFailure?.values?.parentId === comment.id || undefined}>
              <summary className="cursor-pointer text-sm font-semibold text-brand-700">
                Reply to {comment.author.name}
              </summary>
              <div className="mt-2">
                <CommentForm
                  action={action}
                  label="Your reply"
                  submitLabel="Post reply"
                  parentId={comment.id}
                  withMoment={false}
                  failure={replyFailure?.values?.parentId === comment.id ? replyFailure : null}
                />
              </div>
            </details>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function CommentBody({ action, comment }: { action?: string; comment: InteractionView }) {
  return (
    <article aria-label={`${comment.type === 'response' ? 'Response' : 'Comment'} by ${comment.author.name}`}>
      <header className="flex flex-wrap items-center gap-2 text-sm">
        <PersonBadge person={comment.author} />
        {comment.isFeedback ? (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">Feedback</span>
        ) : null}
        {comment.atSeconds != null ? <MomentLink seconds={comment.atSeconds} /> : null}
        <time dateTime={comment.createdAt} className="text-slate-600">
          {formatDateTime(comment.createdAt)}
        </time>
      </header>
      <FormattedText text={comment.content} className="mt-1 text-slate-800" />
      {comment.responseVideoId ? (
        <p className="mt-1">
          <Link to={`/videos/${comment.responseVideoId}`} className="text-sm font-semibold text-brand-700 underline">
            Watch the video response
          </Link>
        </p>
      ) : null}
      {comment.canDelete ? (
        <Form method="post" action={action} className="mt-1">
          <CsrfField />
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="interactionId" value={comment.id} />
          <button type="submit" className="text-sm text-red-700 underline">
            Delete<span className="sr-only"> the comment by {comment.author.name}</span>
          </button>
        </Form>
      ) : null}
    </article>
  );
}
