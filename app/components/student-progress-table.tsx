import { Link } from '@remix-run/react';
import { formatDateTime, formatScore } from '~/utils/format';
import { StatusBadge } from './due-badge';
import { LmsScoreStatus } from './lms-score-status';

export interface StudentProgressRow {
  studentId: string;
  name: string;
  status: 'not-submitted' | 'missing' | 'submitted' | 'late' | 'graded';
  submission: { id: string; submittedAt: string; grade: number | null } | null;
  /** The grade's trip to the LMS gradebook, when the assignment was launched from one. */
  ltiScore?: { state: 'pending' | 'sent' | 'retrying'; label: string } | null;
}

export function StudentProgressTable({ students, maxScore }: { students: StudentProgressRow[]; maxScore: number }) {
  if (!students.length) return <p className="mt-2 text-slate-700">No students have joined this course yet.</p>;
  return (
    <div className="mt-3 overflow-x-auto">
      <table
        className="min-w-full divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm"
        data-testid="student-progress"
      >
        <thead className="bg-slate-50 text-left">
          <tr>
            <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
              Student
            </th>
            <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
              Status
            </th>
            <th scope="col" className="hidden px-4 py-2 font-semibold sm:table-cell">
              Submitted
            </th>
            <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
              Grade
            </th>
            <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {students.map((s) => (
            <tr key={s.studentId}>
              <td className="px-2 py-2 sm:px-4">{s.name}</td>
              <td className="px-2 py-2 sm:px-4">
                {s.status === 'late' ? <StatusBadge kind="late" /> : <StatusBadge kind={s.status} />}
              </td>
              <td className="hidden px-4 py-2 sm:table-cell">
                {s.submission ? formatDateTime(s.submission.submittedAt) : '—'}
              </td>
              <td className="px-2 py-2 sm:px-4">
                {s.submission?.grade != null ? `${formatScore(s.submission.grade)} / ${formatScore(maxScore)}` : '—'}
                {s.ltiScore ? <LmsScoreStatus status={s.ltiScore} /> : null}
              </td>
              <td className="px-2 py-2 sm:px-4">
                {s.submission ? (
                  <Link to={`/submissions/${s.submission.id}`} className="font-semibold text-brand-700 underline">
                    {s.status === 'graded' ? 'Review' : 'Grade'}
                    <span className="sr-only"> {s.name}</span>
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
