import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { StatusBadge } from '~/components/due-badge';
import { requireActor } from '~/auth/current-user.server';
import { courseGradebook } from '~/services/grading.server';
import { formatDateTime, formatScore } from '~/utils/format';
import { readPage } from '~/utils/api.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Grading · ${data.course.title} · ClassCast` : 'Grading · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() =>
    courseGradebook(context.services, actor, params.courseId ?? '', readPage(new URL(request.url))),
  );
}

export default function CourseGrading() {
  const { course, studentCount, assignments, nextCursor } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/courses/${course.id}`} className="underline">
          {course.title}
        </Link>{' '}
        / Grading
      </nav>
      <h1 className="text-2xl font-bold">Grading dashboard</h1>
      <p className="text-slate-700">
        {studentCount} {studentCount === 1 ? 'student' : 'students'} enrolled.
      </p>
      {assignments.length ? (
        <div className="overflow-x-auto">
          <table
            className="min-w-full divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm"
            data-testid="gradebook"
          >
            <thead className="bg-slate-50 text-left">
              <tr>
                <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
                  Assignment
                </th>
                <th scope="col" className="hidden px-4 py-2 font-semibold sm:table-cell">
                  Due
                </th>
                <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
                  Submitted
                </th>
                <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
                  Graded
                </th>
                <th scope="col" className="px-2 py-2 font-semibold sm:px-4">
                  Not submitted
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {assignments.map((a) => (
                <tr key={a.id}>
                  <td className="px-2 py-2 sm:px-4">
                    <Link to={`/assignments/${a.id}`} className="font-semibold text-brand-700 underline">
                      {a.title}
                    </Link>{' '}
                    {a.status === 'draft' || a.status === 'archived' ? (
                      <StatusBadge kind={a.status} />
                    ) : (
                      <StatusBadge kind={a.dueState} />
                    )}
                    <span className="block text-xs text-slate-600">{formatScore(a.maxScore)} points</span>
                  </td>
                  <td className="hidden px-4 py-2 sm:table-cell">{formatDateTime(a.dueDate)}</td>
                  <td className="px-2 py-2 sm:px-4">{a.submitted}</td>
                  <td className="px-2 py-2 sm:px-4">{a.graded}</td>
                  <td className="px-2 py-2 sm:px-4">
                    {a.pastDue && a.notSubmitted ? `${a.notSubmitted} missing` : a.notSubmitted}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {nextCursor ? (
            <p className="mt-3">
              <Link to={`?cursor=${encodeURIComponent(nextCursor)}`} className="font-semibold text-brand-700 underline">
                More assignments
              </Link>
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-slate-700">No assignments yet.</p>
      )}
    </div>
  );
}
