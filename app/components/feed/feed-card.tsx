import { Link } from '@remix-run/react';
import { FormattedText } from '~/components/formatted-text';
import type {
  AssignmentFeedItem,
  CommunityFeedItem,
  FeedItem,
  InteractionFeedItem,
  VideoFeedItem,
} from '~/services/feed-view';
import { formatDateTime } from '~/utils/format';
import { PersonBadge } from './person-badge';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function Counts({ likes, comments, isLiked }: { likes: number; comments: number; isLiked: boolean }) {
  return (
    <p className="mt-3 flex gap-4 text-sm text-slate-700">
      <span>
        {plural(likes, 'like', 'likes')}
        {isLiked ? ' (including you)' : ''}
      </span>
      <span>{plural(comments, 'comment', 'comments')}</span>
    </p>
  );
}

function Meta({ courseName, timestamp }: { courseName: string; timestamp: string }) {
  return (
    <p className="text-sm text-slate-700">
      {courseName ? `${courseName} · ` : ''}
      <time dateTime={timestamp}>{formatDateTime(timestamp)}</time>
    </p>
  );
}

/** No thumbnails are generated: a neutral poster carrying the title stands in for one. */
function VideoCard({ item }: { item: VideoFeedItem }) {
  return (
    <>
      <Link
        to={item.url}
        className="flex aspect-video w-full items-center justify-center rounded-md bg-slate-800 p-4 text-center text-white"
      >
        <span aria-hidden="true" className="mr-2 text-2xl">
          ▶
        </span>
        <span className="font-semibold">{item.title}</span>
      </Link>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <PersonBadge person={item.author} />
        <Meta courseName={item.courseName} timestamp={item.timestamp} />
      </div>
      <h2 className="mt-2 text-lg font-semibold">
        <Link to={item.url} className="text-brand-700 underline">
          {item.title}
        </Link>
      </h2>
      <Counts likes={item.likes} comments={item.comments} isLiked={item.isLiked} />
    </>
  );
}

function CommunityCard({ item }: { item: CommunityFeedItem }) {
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <PersonBadge person={item.author} />
        <Meta courseName={item.courseName} timestamp={item.timestamp} />
      </div>
      <h2 className="mt-2 text-lg font-semibold">
        {item.isAnnouncement ? (
          <span className="mr-2 rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">
            Announcement
          </span>
        ) : null}
        <Link to={item.url} className="text-brand-700 underline">
          {item.title}
        </Link>
      </h2>
      <FormattedText text={item.content} className="mt-1 line-clamp-4 text-slate-800" />
      <Counts likes={item.likes} comments={item.comments} isLiked={item.isLiked} />
    </>
  );
}

const STATUS_LABEL: Record<AssignmentFeedItem['status'], [string, string]> = {
  active: ['Open', 'bg-green-100 text-green-900'],
  upcoming: ['Due soon', 'bg-amber-100 text-amber-900'],
  past_due: ['Past due', 'bg-red-100 text-red-900'],
};

function AssignmentCard({ item }: { item: AssignmentFeedItem }) {
  const [label, style] = STATUS_LABEL[item.status];
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-semibold text-slate-800">New assignment</span>
        <Meta courseName={item.courseName} timestamp={item.timestamp} />
      </div>
      <h2 className="mt-2 text-lg font-semibold">
        <Link to={item.url} className="text-brand-700 underline">
          {item.title}
        </Link>
      </h2>
      <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${style}`}>{label}</span>
        Due {formatDateTime(item.dueDate)}
      </p>
      <FormattedText text={item.description} className="mt-2 line-clamp-3 text-slate-800" />
    </>
  );
}

const ACTION_TEXT: Record<InteractionFeedItem['action'], string> = {
  like: 'liked',
  comment: 'commented on',
  response: 'responded to',
};

function InteractionCard({ item }: { item: InteractionFeedItem }) {
  const moment =
    item.atSeconds != null
      ? ` at ${Math.floor(item.atSeconds / 60)}:${String(Math.floor(item.atSeconds % 60)).padStart(2, '0')}`
      : '';
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <PersonBadge person={item.actor} />
        <Meta courseName={item.courseName} timestamp={item.timestamp} />
      </div>
      <p className="mt-2">
        {item.actor.name} {ACTION_TEXT[item.action]}{' '}
        <Link to={item.url} className="font-semibold text-brand-700 underline">
          {item.target.title}
        </Link>
        {moment}
      </p>
      {item.content ? <FormattedText text={item.content} className="mt-1 line-clamp-3 text-slate-800" /> : null}
    </>
  );
}

/** One feed entry as a card; every kind links to the page that opens it. */
export function FeedCard({ item }: { item: FeedItem }) {
  return (
    <article className="card" data-testid="feed-item" data-type={item.type} data-id={item.id}>
      {item.type === 'video' ? (
        <VideoCard item={item} />
      ) : item.type === 'community' ? (
        <CommunityCard item={item} />
      ) : item.type === 'assignment' ? (
        <AssignmentCard item={item} />
      ) : (
        <InteractionCard item={item} />
      )}
    </article>
  );
}
