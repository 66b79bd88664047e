import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { AssignmentList } from '~/components/assignment-list';
import { CsrfField } from '~/components/csrf-field';
import { listCourseAssignments } from '~/services/assignments.server';
import { getCourseDetails } from '~/services/courses.server';
import { getLmsRoster } from '~/services/lti-roster.server';
import { readPage } from '~/utils/api.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.course.title} · ClassCast` : 'Course · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const courseId = params.courseId ?? '';
    const details = await getCourseDetails(context.services, actor, courseId, readPage(new URL(request.url)));
    const { assignments, isInstructor } = await listCourseAssignments(context.services, actor, courseId, {
      limit: 100,
    });
    // The LMS side of the roster (sync button, inactive members): only its instructor sees it.
    const lms = isInstructor ? await getLmsRoster(context.services, actor, courseId) : null;
    return { ...details, assignments, isInstructor, lms };
  });
}

export default function CoursePage() {
  const { course, roster, assignments, isInstructor, lms } = useLoaderData<typeof loader>();
  const inactive = new Set(lms?.inactiveUserIds ?? []);
  const syncing = useNavigation().formAction === `/courses/${course.id}/roster-sync`;
  return (
    <div className="space-y-8">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link to="/dashboard" className="underline">
            My courses
          </Link>{' '}
          / {course.code}
        </nav>
        <h1 className="mt-1 text-2xl font-bold">{course.title}</h1>
        <p className="mt-1 text-slate-700">
          {course.code} · Instructor: {course.instructorName ?? 'unknown'}
        </p>
        {course.description ? <p className="mt-3 max-w-prose text-slate-800">{course.description}</p> : null}
        <p className="mt-3">
          <Link
            to={`/community?courseId=${encodeURIComponent(course.id)}`}
            className="font-semibold text-brand-700 underline"
          >
            Course community
          </Link>
        </p>
        {course.joinCode ? (
          <p className="mt-4 inline-block rounded-md border border-brand-100 bg-brand-50 px-4 py-2">
            Join code for students:{' '}
            <strong className="font-mono text-lg" data-testid="join-code">
              {course.joinCode}
            </strong>
          </p>
        ) : null}
      </div>

      <section aria-labelledby="assignments">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="assignments" className="text-lg font-semibold">
            Assignments
          </h2>
          {isInstructor ? (
            <div className="flex flex-wrap gap-2">
              <Link to={`/courses/${course.id}/edit`} className="btn-secondary">
                Edit course
              </Link>
              <Link to={`/courses/${course.id}/grading`} className="btn-secondary">
                Grading dashboard
              </Link>
              <Link to={`/courses/${course.id}/assignments/new`} className="btn-primary">
                New assignment
              </Link>
            </div>
          ) : null}
        </div>
        <AssignmentList assignments={assignments} isInstructor={isInstructor} />
      </section>

      {roster ? (
        <section aria-labelledby="roster">
          <h2 id="roster" className="text-lg font-semibold">
            Roster ({roster.members.length}
            {roster.nextCursor ? '+' : ''})
          </h2>
          {lms?.canSync ? (
            <Form method="post" action={`/courses/${course.id}/roster-sync`} className="mt-2">
              <CsrfField />
              <button type="submit" className="btn-secondary" disabled={syncing}>
                {syncing ? 'Syncing…' : `Sync roster from ${lms.platformName}`}
              </button>
            </Form>
          ) : null}
          <ul
            className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
            data-testid="roster"
          >
            {roster.members.map((m) => (
              <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
                <div className="min-w-0">
                  <p className="font-medium">
                    {m.name} <span className="text-xs capitalize text-slate-600">· {m.role}</span>
                    {inactive.has(m.userId) ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">
                        inactive in the LMS
                      </span>
                    ) : null}
                  </p>
                  <p className="break-all text-slate-700">{m.email}</p>
                  <p className="text-xs text-slate-600">
                    Joined <time dateTime={m.joinedAt}>{m.joinedAt.slice(0, 10)}</time>
                  </p>
                </div>
                {m.role === 'student' ? (
                  <Link
                    to={`/courses/${course.id}/students/${m.userId}/remove`}
                    className="font-semibold text-red-800 underline"
                  >
                    Remove<span className="sr-only"> {m.name}</span>
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
          {roster.nextCursor ? (
            <p className="mt-3">
              <Link
                to={`?cursor=${encodeURIComponent(roster.nextCursor)}`}
                className="font-semibold text-brand-700 underline"
              >
                More students
              </Link>
            </p>
          ) : null}
        </section>
      ) : (
        <p className="text-sm text-slate-700">
          You are enrolled in this course.{' '}
          {course.myRole === 'student' ? (
            <Link to={`/courses/${course.id}/leave`} className="font-semibold text-red-800 underline">
              Leave course
            </Link>
          ) : null}
        </p>
      )}
    </div>
  );
}
