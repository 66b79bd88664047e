import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CourseFields } from '~/components/course-fields';
import { FormError } from '~/components/form-field';
import { requireActor } from '~/auth/current-user.server';
import { setCourseArchived } from '~/services/admin-courses.server';
import { getCourseForEdit, updateCourse } from '~/services/courses.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Edit course · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const course = await getCourseForEdit(context.services, actor, params.courseId ?? '');
    return { course };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    // The small archive form below posts here too, with intent=archive.
    if (values.intent === 'archive') {
      const archived = await setCourseArchived(context.services, actor, params.courseId ?? '', values);
      return {
        redirectTo: `/courses/${archived.id}`,
        toast: archived.archived
          ? 'Course archived: it is read-only and hidden from students.'
          : 'Course is open again.',
      };
    }
    const course = await updateCourse(context.services, actor, params.courseId ?? '', values);
    return { redirectTo: `/courses/${course.id}`, toast: 'Course saved.' };
  });
}

export default function EditCourse() {
  const { course } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? {
    title: course.title,
    code: course.code,
    description: course.description,
    joinCode: course.joinCode ?? '',
  };
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/courses/${course.id}`} className="underline">
          {course.title}
        </Link>{' '}
        / Edit
      </nav>
      <h1 className="mt-1 text-2xl font-bold">Edit course</h1>
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        <CourseFields values={values} errors={errors} mode="edit" />
        <button type="submit" className="btn-primary" disabled={busy}>
          Save course
        </button>
      </Form>
      <section className="card mt-6 space-y-3" aria-labelledby="archive-heading">
        <h2 id="archive-heading" className="font-semibold">
          {course.archived ? 'This course is archived' : 'Archive this course'}
        </h2>
        <p className="text-sm text-slate-700">
          {course.archived
            ? 'It is read-only and hidden from its students’ course lists. Unarchive it to open it again.'
            : 'An archived course is read-only (no new assignments, submissions, posts or joins) and hidden from its students’ course lists. You can unarchive it later.'}
        </p>
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="archive" />
          <input type="hidden" name="archived" value={course.archived ? 'false' : 'true'} />
          <button type="submit" className="btn-secondary">
            {course.archived ? 'Unarchive course' : 'Archive course'}
          </button>
        </Form>
      </section>
    </div>
  );
}
