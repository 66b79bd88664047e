import { Link } from '@remix-run/react';
import { formatDateTime, formatScore } from '~/utils/format';
import { StatusBadge } from './due-badge';

export interface SubmissionSummary {
  id: string;
  videoTitle: string;
  submittedAt: string;
  isLate: boolean;
  status: 'submitted' | 'graded';
  grade: number | null;
}

/** Newest first; the first one is the submission that counts. */
export function SubmissionHistory({ submissions, maxScore }: { submissions: SubmissionSummary[]; maxScore: number }) {
  if (!submissions.length) return <p className="mt-2 text-slate-700">You have not submitted anything yet.</p>;
  return (
    <ol className="mt-3 space-y-2" data-testid="submission-history">
      {submissions.map((s, i) => (
        <li key={s.id} className="card flex flex-wrap items-center justify-between gap-2">
          <div>
            <Link
              to={`/submissions/${s.id}`}
              className="font-semibold text-brand-700 underline-offset-2 hover:underline"
            >
              {s.videoTitle}
            </Link>
            <p className="text-sm text-slate-700">
              Submitted {formatDateTime(s.submittedAt)}
              {s.isLate ? ' · late' : ''}
              {i === 0 ? ' · this is the one that counts' : ' · earlier version'}
            </p>
          </div>
          <span className="flex items-center gap-2">
            <StatusBadge kind={s.status} />
            {s.grade != null ? (
              <span className="text-sm font-semibold">
                {formatScore(s.grade)} / {formatScore(maxScore)}
              </span>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
