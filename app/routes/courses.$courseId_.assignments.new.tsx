import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AssignmentFields } from '~/components/assignment-fields';
import { FormError } from '~/components/form-field';
import { requireActor } from '~/auth/current-user.server';
import { createAssignment, getCourseForNewAssignment } from '~/services/assignments.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'New assignment · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const course = await getCourseForNewAssignment(context.services, actor, params.courseId ?? '');
    return { course };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    const assignment = await createAssignment(context.services, actor, { ...values, courseId: params.courseId });
    return { redirectTo: `/assignments/${assignment.id}`, toast: 'Assignment created.' };
  });
}

export default function NewAssignment() {
  const { course } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="mx-auto max-w-2xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/courses/${course.id}`} className="underline">
          {course.title}
        </Link>{' '}
        / New assignment
      </nav>
      <h1 className="mt-1 text-2xl font-bold">New assignment</h1>
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        <AssignmentFields values={result?.values ?? {}} errors={result?.fieldErrors ?? {}} />
        <button type="submit" className="btn-primary" disabled={busy}>
          Create assignment
        </button>
      </Form>
    </div>
  );
}
