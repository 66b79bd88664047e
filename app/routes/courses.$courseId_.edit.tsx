import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CourseFields } from '~/components/course-fields';
import { FormError } from '~/components/form-field';
import { requireActor } from '~/auth/current-user.server';
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
    </div>
  );
}
