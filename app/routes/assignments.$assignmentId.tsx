import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { StatusBadge } from '~/components/due-badge';
import { FormattedText } from '~/components/formatted-text';
import { StudentProgressTable } from '~/components/student-progress-table';
import { SubmissionHistory } from '~/components/submission-history';
import { VideoUploadForm } from '~/components/video-upload';
import { ClassGallery } from '~/components/video-social/class-gallery';
import { requireActor } from '~/auth/current-user.server';
import { getAssignmentPage } from '~/services/assignment-page.server';
import { formatDateTime, formatScore } from '~/utils/format';
import { readPage } from '~/utils/api.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.assignment.title} · ClassCast` : 'Assignment · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  return loadOrThrow(() =>
    getAssignmentPage(
      context.services,
      actor,
      params.assignmentId ?? '',
      readPage(url),
      url.searchParams.get('galleryCursor') || undefined,
    ),
  );
}

export default function AssignmentPage() {
  const page = useLoaderData<typeof loader>();
  const { assignment, course } = page;
  return (
    <div className="space-y-8">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link to={`/courses/${course.id}`} className="underline">
            {course.title}
          </Link>{' '}
          / Assignment
        </nav>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold">{assignment.title}</h1>
          {assignment.status === 'draft' || assignment.status === 'archived' ? (
            <StatusBadge kind={assignment.status} />
          ) : (
            <StatusBadge kind={assignment.dueState} />
          )}
        </div>
        <p className="mt-1 text-slate-700">
          Due {formatDateTime(assignment.dueDate)} · {formatScore(assignment.maxScore)} points ·{' '}
          {assignment.visibility === 'class'
            ? 'Classmates can watch submissions'
            : 'Only the instructor sees submissions'}
        </p>
        <FormattedText text={assignment.description} className="mt-4 max-w-prose text-slate-800" />
        {page.role === 'instructor' ? (
          <p className="mt-4 flex flex-wrap gap-2">
            <Link to={`/assignments/${assignment.id}/edit`} className="btn-secondary">
              Edit assignment
            </Link>
            {assignment.status !== 'archived' ? (
              <Link to={`/assignments/${assignment.id}/archive`} className="btn-secondary">
                Archive
              </Link>
            ) : null}
            <Link to={`/assignments/${assignment.id}/delete`} className="btn-secondary">
              Delete
            </Link>
          </p>
        ) : null}
      </div>

      {page.role === 'instructor' ? (
        <section aria-labelledby="progress">
          <h2 id="progress" className="text-lg font-semibold">
            Students
          </h2>
          <StudentProgressTable students={page.students} maxScore={assignment.maxScore} />
          {page.nextCursor ? (
            <p className="mt-3">
              <Link
                to={`?cursor=${encodeURIComponent(page.nextCursor)}`}
                className="font-semibold text-brand-700 underline"
              >
                More students
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
      {page.role === 'instructor' && page.gallery ? (
        <ClassGallery gallery={page.gallery} cursorParam="galleryCursor" heading="Submitted videos" />
      ) : null}
      {page.role === 'student' ? (
        <>
          <section aria-labelledby="submit" className="card">
            <h2 id="submit" className="text-lg font-semibold">
              {page.submissions.length ? 'Submit a new version' : 'Submit your video'}
            </h2>
            {page.canSubmit && page.uploadForm ? (
              <>
                {assignment.dueState === 'late' ? (
                  <p className="mt-2 text-sm text-red-800">
                    The due date has passed: your submission will be marked late.
                  </p>
                ) : null}
                <VideoUploadForm
                  assignmentId={assignment.id}
                  courseId={course.id}
                  maxBytes={page.maxBytes}
                  noJsForm={page.uploadForm}
                />
              </>
            ) : (
              <p className="mt-2 text-slate-700">{page.closedReason}</p>
            )}
          </section>
          <section aria-labelledby="history">
            <h2 id="history" className="text-lg font-semibold">
              Your submissions
            </h2>
            <SubmissionHistory submissions={page.submissions} maxScore={assignment.maxScore} />
          </section>
          {page.gallery ? <ClassGallery gallery={page.gallery} cursorParam="cursor" heading="Class videos" /> : null}
        </>
      ) : null}
    </div>
  );
}
