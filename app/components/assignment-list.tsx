import { Link } from '@remix-run/react';
import { formatDateTime, formatScore } from '~/utils/format';
import { StatusBadge } from './due-badge';

export interface AssignmentListEntry {
  id: string;
  title: string;
  dueDate: string;
  maxScore: number;
  status: 'draft' | 'published' | 'closed' | 'archived';
  dueState: 'open' | 'due-soon' | 'late' | 'closed';
  submissionsCount?: number;
  gradedCount?: number;
  mySubmission?: { status: 'submitted' | 'graded'; grade: number | null; isLate: boolean } | null;
}

export function AssignmentList({
  assignments,
  isInstructor,
}: {
  assignments: AssignmentListEntry[];
  isInstructor: boolean;
}) {
  if (!assignments.length) {
    return (
      <p className="mt-3 text-slate-700">
        {isInstructor ? 'No assignments yet. Create the first one.' : 'No assignments have been published yet.'}
      </p>
    );
  }
  return (
    <ul className="mt-3 space-y-3" data-testid="assignment-list">
      {assignments.map((a) => (
        <li key={a.id} className="card">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="font-semibold">
              <Link to={`/assignments/${a.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                {a.title}
              </Link>
            </h3>
            <span className="flex gap-2">
              {a.status === 'draft' || a.status === 'archived' ? (
                <StatusBadge kind={a.status} />
              ) : (
                <StatusBadge kind={a.dueState} />
              )}
              {a.mySubmission ? <StatusBadge kind={a.mySubmission.status} /> : null}
            </span>
          </div>
          <p className="mt-1 text-sm text-slate-700">
            Due {formatDateTime(a.dueDate)} · {formatScore(a.maxScore)} points
            {isInstructor ? ` · ${a.submissionsCount ?? 0} submitted, ${a.gradedCount ?? 0} graded` : ''}
            {a.mySubmission?.grade != null
              ? ` · Your grade: ${formatScore(a.mySubmission.grade)} / ${formatScore(a.maxScore)}`
              : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}
