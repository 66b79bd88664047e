import { Link } from '@remix-run/react';
import type { RecentGrade } from '~/services/dashboard-view';
import { formatDateTime, formatScore } from '~/utils/format';

export function RecentGrades({ items }: { items: RecentGrade[] }) {
  return (
    <section aria-labelledby="recent-grades" className="card">
      <h2 id="recent-grades" className="text-lg font-semibold">
        Recent grades
      </h2>
      {items.length ? (
        <ul className="mt-3 divide-y divide-slate-100" data-testid="recent-grades">
          {items.map((g) => (
            <li key={g.submissionId} className="py-2">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <Link to={`/submissions/${g.submissionId}`} className="font-semibold text-brand-700 underline">
                  {g.assignmentTitle}
                </Link>
                <span className="font-semibold">
                  {formatScore(g.grade)} / {formatScore(g.maxScore)}
                </span>
              </div>
              <p className="text-sm text-slate-700">
                {g.courseTitle} · graded {formatDateTime(g.gradedAt)}
              </p>
              {g.feedback ? <p className="mt-1 line-clamp-2 text-sm text-slate-800">“{g.feedback}”</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-slate-700">
          No grades yet. They appear here as soon as your instructor grades your work.
        </p>
      )}
    </section>
  );
}
