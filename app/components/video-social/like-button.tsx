import { CsrfField } from '~/components/csrf-field';
import { useLikeToggle } from '~/components/use-like-toggle';

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
  const toggle = useLikeToggle<LikeFailure>({ liked, likes });
  const { fetcher, liked: shownLiked, likes: shownLikes } = toggle;
  const failed = fetcher.state === 'idle' && fetcher.data?.ok === false ? fetcher.data.formError : null;
  return (
    <fetcher.Form
      ref={toggle.form}
      method="post"
      action={action}
      preventScrollReset
      onSubmit={toggle.onSubmit}
      aria-busy={toggle.saving}
      className="flex items-center gap-2"
    >
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
