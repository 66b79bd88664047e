import { Form } from '@remix-run/react';
import { COMMENT_MAX, type PostCommentView } from '~/services/community-view';
import { CsrfField } from '../csrf-field';
import { FormError, TextAreaField } from '../form-field';
import { FormattedText } from '../formatted-text';
import { Byline } from './post-byline';

/** What the page's action said about the last comment form posted (a FormFailure). */
export interface CommentFormFailure {
  intent?: string;
  formError: string;
  fieldErrors: Record<string, string[] | undefined>;
  values: Record<string, string | undefined>;
}

/** Which comment form the failure belongs to: the new-comment form (null) or a reply form. */
function failureFor(failure: CommentFormFailure | null | undefined, parentId: string | null) {
  if (failure?.intent !== 'comment') return null;
  return (failure.values.parentId || null) === parentId ? failure : null;
}

export function CommentForm({
  parentId = null,
  failure,
  busy,
}: {
  parentId?: string | null;
  failure?: CommentFormFailure | null;
  busy: boolean;
}) {
  const mine = failureFor(failure, parentId);
  return (
    <Form method="post" preventScrollReset className="space-y-3" noValidate>
      <CsrfField />
      <input type="hidden" name="intent" value="comment" />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <FormError message={mine?.formError} />
      <TextAreaField
        label={parentId ? 'Your reply' : 'Your comment'}
        name="content"
        rows={parentId ? 2 : 3}
        required
        defaultValue={mine?.values.content}
        errors={mine?.fieldErrors.content}
        hint={`Up to ${COMMENT_MAX.toLocaleString('en-US')} characters.`}
      />
      <button type="submit" className="btn-primary" disabled={busy}>
        {parentId ? 'Reply' : 'Comment'}
      </button>
    </Form>
  );
}

function DeleteCommentForm({ comment, busy }: { comment: PostCommentView; busy: boolean }) {
  return (
    <Form method="post" preventScrollReset>
      <CsrfField />
      <input type="hidden" name="intent" value="delete-comment" />
      <input type="hidden" name="commentId" value={comment.id} />
      <button type="submit" className="text-sm font-semibold text-red-800 underline" disabled={busy}>
        Delete<span className="sr-only"> comment by {comment.author}</span>
      </button>
    </Form>
  );
}

function CommentBody({ comment, busy }: { comment: PostCommentView; busy: boolean }) {
  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <Byline author={comment.author} authorRole={comment.authorRole} timestamp={comment.timestamp} />
        {comment.canDelete ? <DeleteCommentForm comment={comment} busy={busy} /> : null}
      </div>
      <FormattedText text={comment.content} className="mt-1 text-slate-800" />
    </>
  );
}

/** Top-level comments with their replies, and a reply form under each (a <details>, so no JS is needed). */
export function CommentThread({
  comments,
  failure,
  busy,
}: {
  comments: PostCommentView[];
  failure?: CommentFormFailure | null;
  busy: boolean;
}) {
  if (!comments.length) return <p className="text-sm text-slate-700">No comments yet.</p>;
  return (
    <ul className="space-y-4" data-testid="comments">
      {comments.map((comment) => {
        const replyFailed = Boolean(failureFor(failure, comment.id));
        return (
          <li key={comment.id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="comment">
            <CommentBody comment={comment} busy={busy} />
            {comment.replies.length ? (
              <ul
                className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4"
                aria-label={`Replies to ${comment.author}`}
              >
                {comment.replies.map((reply) => (
                  <li key={reply.id} data-testid="reply">
                    <CommentBody comment={reply} busy={busy} />
                  </li>
                ))}
              </ul>
            ) : null}
            {comment.replyCount > comment.replies.length ? (
              <p className="mt-2 text-xs text-slate-600">
                {comment.replyCount - comment.replies.length} earlier replies are not shown.
              </p>
            ) : null}
            <details className="mt-3" open={replyFailed}>
              <summary className="cursor-pointer text-sm font-semibold text-brand-700">
                Reply<span className="sr-only"> to {comment.author}</span>
              </summary>
              <div className="mt-2">
                <CommentForm parentId={comment.id} failure={failure} busy={busy} />
              </div>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
