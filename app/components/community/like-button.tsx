import { CsrfField } from '../csrf-field';
import { useLikeToggle } from '../use-like-toggle';

interface Likeable {
  id: string;
  title: string;
  likes: number;
  isLiked: boolean;
}

/**
 * Like / unlike a post. A plain form posting `intent=like` to the page it is on (which
 * redirects back), so it works without JavaScript; with it, a fetcher shows the new state at
 * once and falls back to what the server says if the request fails.
 */
export function LikeButton({ post }: { post: Likeable }) {
  const toggle = useLikeToggle<{ ok: false; formError: string }>({ liked: post.isLiked, likes: post.likes });
  const { fetcher, liked, likes } = toggle;
  const failure = fetcher.state === 'idle' && fetcher.data?.ok === false ? fetcher.data.formError : null;
  return (
    <fetcher.Form
      ref={toggle.form}
      method="post"
      preventScrollReset
      onSubmit={toggle.onSubmit}
      aria-busy={toggle.saving}
      className="flex flex-wrap items-center gap-2"
    >
      <CsrfField />
      <input type="hidden" name="intent" value="like" />
      <input type="hidden" name="postId" value={post.id} />
      <input type="hidden" name="isLiked" value={String(!liked)} />
      <button
        type="submit"
        aria-pressed={liked}
        className={`btn-secondary px-3 py-1 ${liked ? 'border-rose-300 bg-rose-50 text-rose-800' : ''}`}
      >
        <span aria-hidden="true" className="mr-1">
          {liked ? '♥' : '♡'}
        </span>
        {liked ? 'Liked' : 'Like'}
        <span className="sr-only"> “{post.title}”</span>
      </button>
      <span className="text-sm text-slate-700" data-testid="like-count">
        {likes} {likes === 1 ? 'like' : 'likes'}
      </span>
      {failure ? (
        <span role="alert" className="text-sm text-red-700">
          {failure}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
