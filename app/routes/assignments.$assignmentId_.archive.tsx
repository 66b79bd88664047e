import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/confirm-action';
import { requireActor } from '~/auth/current-user.server';
import { archiveAssignment, getAssignmentForEdit } from '~/services/assignments.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Archive assignment · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const assignment = await getAssignmentForEdit(context.services, actor, params.assignmentId ?? '');
    return { assignment: { id: assignment.id, title: assignment.title, courseId: assignment.courseId } };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const archived = await archiveAssignment(context.services, actor, params.assignmentId ?? '');
    return { redirectTo: `/courses/${archived.courseId}`, toast: `“${archived.title}” is archived.` };
  });
}

export default function ArchiveAssignment() {
  const { assignment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ConfirmAction
      title={`Archive “${assignment.title}”?`}
      confirmLabel="Archive assignment"
      cancelTo={`/assignments/${assignment.id}`}
      error={result?.formError}
      tone="neutral"
    >
      <p>Students will no longer see it or submit to it. Its submissions and grades are kept.</p>
      <p>You can bring it back later by editing it and setting it to Published.</p>
    </ConfirmAction>
  );
}
