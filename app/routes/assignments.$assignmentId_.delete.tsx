import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/confirm-action';
import { requireActor } from '~/auth/current-user.server';
import { deleteAssignment, getAssignmentForEdit } from '~/services/assignments.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Delete assignment · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const assignment = await getAssignmentForEdit(context.services, actor, params.assignmentId ?? '');
    return { assignment: { id: assignment.id, title: assignment.title } };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const deleted = await deleteAssignment(context.services, actor, params.assignmentId ?? '');
    return { redirectTo: `/courses/${deleted.courseId}`, toast: `“${deleted.title}” was deleted.` };
  });
}

export default function DeleteAssignment() {
  const { assignment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ConfirmAction
      title={`Delete “${assignment.title}”?`}
      confirmLabel="Delete assignment"
      cancelTo={`/assignments/${assignment.id}`}
      error={result?.formError}
    >
      <p>This cannot be undone. Only an assignment nobody has submitted to can be deleted.</p>
    </ConfirmAction>
  );
}
