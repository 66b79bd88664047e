import { Link } from '@remix-run/react';
import { formatDateTime } from '~/utils/format';
import { StatusBadge } from '../due-badge';
import type { ToGradeEntry } from '~/services/dashboard-view';

/** The instructor's queue across every course they teach, oldest submission first. */
export function ToGrade({ items }: { items: ToGradeEntry[] }) {
  return (
    <section aria-labelledby="to-grade" className="card">
      <h2 id="to-grade" className="text-lg font-semibold">
        To grade
      </h2>
      {items.length ? (
        <ol className="mt-3 divide-y divide-slate-100" data-testid="to-grade">
          {items.map((s) => (
            <li key={s.submissionId} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <div className="min-w-0">
                <p className="font-semibold">
                  {s.studentName} · {s.assignmentTitle}
                </p>
                <p className="text-sm text-slate-700">
                  {s.courseTitle} · submitted {formatDateTime(s.submittedAt)}{' '}
                  {s.isLate ? <StatusBadge kind="late" /> : null}
                </p>
              </div>
              <Link to={`/submissions/${s.submissionId}`} className="btn-secondary py-1.5">
                Grade
                <span className="sr-only">
                  {' '}
                  {s.studentName}, {s.assignmentTitle}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-2 text-slate-700">You are all caught up: nothing is waiting for a grade.</p>
      )}
    </section>
  );
}
