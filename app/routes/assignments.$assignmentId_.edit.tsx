import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AssignmentFields } from '~/components/assignment-fields';
import { FormError } from '~/components/form-field';
import { requireActor } from '~/auth/current-user.server';
import { getAssignmentForEdit, updateAssignment } from '~/services/assignments.server';
import { toDateTimeLocal } from '~/utils/format';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Edit assignment · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const assignment = await getAssignmentForEdit(context.services, actor, params.assignmentId ?? '');
    return { assignment };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    const assignment = await updateAssignment(context.services, actor, params.assignmentId ?? '', values);
    return { redirectTo: `/assignments/${assignment.id}`, toast: 'Assignment saved.' };
  });
}

export default function EditAssignment() {
  const { assignment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? {
    title: assignment.title,
    description: assignment.description,
    dueDate: toDateTimeLocal(assignment.dueDate),
    maxScore: String(assignment.maxScore),
    status: assignment.status,
    visibility: assignment.visibility,
  };
  return (
    <div className="mx-auto max-w-2xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/assignments/${assignment.id}`} className="underline">
          {assignment.title}
        </Link>{' '}
        / Edit
      </nav>
      <h1 className="mt-1 text-2xl font-bold">Edit assignment</h1>
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        <AssignmentFields values={values} errors={result?.fieldErrors ?? {}} />
        <button type="submit" className="btn-primary" disabled={busy}>
          Save changes
        </button>
      </Form>
    </div>
  );
}
