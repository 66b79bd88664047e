import { formatDateTime } from '~/utils/format';

/** Who wrote something and when, as every community item shows it. */
export function Byline({
  author,
  authorRole,
  timestamp,
}: {
  author: string;
  authorRole: string | null;
  timestamp: string;
}) {
  return (
    <p className="text-sm text-slate-700">
      <span className="font-medium text-slate-900">{author}</span>
      {authorRole && authorRole !== 'student' ? <span className="capitalize"> · {authorRole}</span> : null} ·{' '}
      <time dateTime={timestamp}>{formatDateTime(timestamp)}</time>
    </p>
  );
}

export function AnnouncementBadge() {
  return (
    <span className="inline-block rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-amber-900">
      Announcement
    </span>
  );
}
