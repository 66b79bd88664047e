import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { listAllCourses, setCourseArchived } from '~/services/admin-courses.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow, samePage } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Courses · Admin · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => listAllCourses(context.services, actor, readPage(new URL(request.url))));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, {
    archive: async (values) => {
      const course = await setCourseArchived(context.services, actor, values.courseId ?? '', values);
      return {
        redirectTo: samePage(request),
        toast: course.archived ? `${course.title} is archived.` : `${course.title} is open again.`,
      };
    },
  });
}

export default function AdminCoursesPage() {
  const { courses, nextCursor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Courses</h1>
      <FormError message={result?.formError} />
      {courses.length ? (
        <ul
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
          data-testid="admin-courses"
        >
          {courses.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <Link to={`/courses/${c.id}`} className="font-medium underline">
                  {c.title}
                </Link>{' '}
                <span className="text-sm text-slate-600">{c.code}</span>{' '}
                {c.archived ? (
                  <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">
                    Archived
                  </span>
                ) : null}
                <p className="text-sm text-slate-700">Instructor: {c.instructorName ?? 'unknown'}</p>
              </div>
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="intent" value="archive" />
                <input type="hidden" name="courseId" value={c.id} />
                <input type="hidden" name="archived" value={c.archived ? 'false' : 'true'} />
                <button type="submit" className="btn-secondary">
                  {c.archived ? 'Unarchive' : 'Archive'}
                  <span className="sr-only"> {c.title}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-700">No courses yet.</p>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?cursor=${encodeURIComponent(nextCursor)}`} className="font-semibold text-brand-700 underline">
            Next page
          </Link>
        </p>
      ) : null}
    </div>
  );
}
