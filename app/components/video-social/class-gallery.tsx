import { Link } from '@remix-run/react';
import type { GalleryPage } from '~/services/video-social-view';
import { formatDateTime } from '~/utils/format';
import { PersonBadge } from './person-badge';

/**
 * Classmates' videos of one assignment, newest first. The poster is the video's own first
 * frame (a muted, non-interactive <video> at `#t=0.1`); the card's link opens the video page.
 */
export function ClassGallery({
  gallery,
  cursorParam,
  heading,
}: {
  gallery: GalleryPage;
  cursorParam: string;
  heading: string;
}) {
  return (
    <section aria-labelledby="class-videos">
      <h2 id="class-videos" className="text-lg font-semibold">
        {heading}
      </h2>
      {gallery.videos.length ? (
        <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="class-gallery">
          {gallery.videos.map((video) => (
            <li key={video.id} className="card flex flex-col gap-2 p-3">
              <div className="overflow-hidden rounded bg-black" aria-hidden="true">
                <video
                  preload="metadata"
                  muted
                  playsInline
                  tabIndex={-1}
                  className="pointer-events-none aspect-video w-full"
                >
                  <source src={video.posterUrl} type={video.contentType} />
                </video>
              </div>
              <Link to={video.pageUrl} className="font-semibold text-brand-700 underline">
                {video.title}
              </Link>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
                <PersonBadge person={video.author} />
                {video.isOwn ? <span className="text-xs">(you)</span> : null}
              </div>
              <p className="text-sm text-slate-700">
                <span data-testid="gallery-likes">
                  {video.likes} {video.likes === 1 ? 'like' : 'likes'}
                </span>
                {' · '}
                <span data-testid="gallery-comments">
                  {video.comments} {video.comments === 1 ? 'comment' : 'comments'}
                </span>
                {' · '}
                <time dateTime={video.createdAt}>{formatDateTime(video.createdAt)}</time>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-slate-700">No videos have been submitted yet.</p>
      )}
      {gallery.nextCursor ? (
        <p className="mt-3">
          <Link
            to={`?${cursorParam}=${encodeURIComponent(gallery.nextCursor)}#class-videos`}
            className="font-semibold text-brand-700 underline"
          >
            More videos
          </Link>
        </p>
      ) : null}
    </section>
  );
}
