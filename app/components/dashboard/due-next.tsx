import { Link } from '@remix-run/react';
import { formatDateTime } from '~/utils/format';
import { StatusBadge } from '../due-badge';
import type { DueNextEntry } from '~/services/dashboard-view';

/** The student's next deadlines, soonest first, each with whether it is handed in. */
export function DueNext({ items }: { items: DueNextEntry[] }) {
  return (
    <section aria-labelledby="due-next" className="card">
      <h2 id="due-next" className="text-lg font-semibold">
        Due next
      </h2>
      {items.length ? (
        <ul className="mt-3 divide-y divide-slate-100" data-testid="due-next">
          {items.map((a) => (
            <li key={a.assignmentId} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <div className="min-w-0">
                <Link to={`/assignments/${a.assignmentId}`} className="font-semibold text-brand-700 underline">
                  {a.title}
                </Link>
                <p className="text-sm text-slate-700">
                  {a.courseTitle} · due {formatDateTime(a.dueDate)}
                </p>
              </div>
              <span className="flex gap-2">
                <StatusBadge kind={a.dueState} />
                <StatusBadge kind={a.submitted ? 'submitted' : 'not-submitted'} />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-slate-700">Nothing is due. Enjoy the calm.</p>
      )}
    </section>
  );
}
