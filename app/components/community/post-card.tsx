import { Link } from '@remix-run/react';
import type { PostView } from '~/services/community-view';
import { FormattedText } from '../formatted-text';
import { LikeButton } from './like-button';
import { AnnouncementBadge, Byline } from './post-byline';

/** One post in a course's list: title (to its page), author, body, likes and comment count. */
export function PostCard({ post }: { post: PostView }) {
  return (
    <article
      className={`rounded-lg border bg-white p-5 shadow-sm ${post.isAnnouncement ? 'border-amber-300' : 'border-slate-200'}`}
      aria-labelledby={`post-${post.id}`}
      data-testid="post"
    >
      {post.isAnnouncement ? <AnnouncementBadge /> : null}
      <h3 id={`post-${post.id}`} className="mt-1 break-words text-lg font-semibold">
        <Link to={`/community/posts/${post.id}`} className="hover:underline">
          {post.title}
        </Link>
      </h3>
      <Byline author={post.author} authorRole={post.authorRole} timestamp={post.timestamp} />
      <FormattedText text={post.content} className="mt-3 text-slate-800" />
      <div className="mt-4 flex flex-wrap items-center gap-4">
        <LikeButton post={post} />
        <Link to={`/community/posts/${post.id}#comments`} className="text-sm font-semibold text-brand-700 underline">
          {post.comments} {post.comments === 1 ? 'comment' : 'comments'}
          <span className="sr-only"> on “{post.title}”</span>
        </Link>
      </div>
    </article>
  );
}
