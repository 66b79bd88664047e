import { useFetcher } from '@remix-run/react';
import { CsrfField } from '~/components/csrf-field';

interface LikeFailure {
  ok?: false;
  formError?: string;
}

/**
 * The heart. The form posts the state the viewer wants (not "toggle"), so a repeated submit
 * cannot undo itself. With JavaScript the fetcher shows that state at once; if the server
 * refuses, the loader's state comes back and the error is said.
 */
export function LikeButton({ action, liked, likes }: { action?: string; liked: boolean; likes: number }) {
  const fetcher = useFetcher<LikeFailure>();
  const pending = fetcher.formData?.get('isLiked');
  const shownLiked = pending == null ? liked : pending === 'true';
  const shownLikes = likes + (shownLiked === liked ? 0 : shownLiked ? 1 : -1);
  const failed = fetcher.state === 'idle' && fetcher.data?.ok === false ? fetcher.data.formError : null;
  return (
    <fetcher.Form method="post" action={action} preventScrollReset className="flex items-center gap-2">
      <CsrfField />
      <input type="hidden" name="intent" value="like" />
      <input type="hidden" name="isLiked" value={String(!shownLiked)} />
      <button
        type="submit"
        className={shownLiked ? 'btn-primary py-1.5' : 'btn-secondary py-1.5'}
        aria-pressed={shownLiked}
        data-testid="like-button"
      >
        <span aria-hidden="true">{shownLiked ? '♥' : '♡'}</span> {shownLiked ? 'Liked' : 'Like'}
      </button>
      <span data-testid="like-count" className="text-sm text-slate-700">
        {shownLikes} {shownLikes === 1 ? 'like' : 'likes'}
      </span>
      {failed ? (
        <span role="alert" className="text-sm text-red-700">
          {failed}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
