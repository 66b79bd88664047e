import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/confirm-action';
import { requireActor } from '~/auth/current-user.server';
import { getStudentRemoval, removeStudent } from '~/services/courses.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Remove student · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => getStudentRemoval(context.services, actor, params.courseId ?? '', params.studentId ?? ''));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const { course, student } = await removeStudent(
      context.services,
      actor,
      params.courseId ?? '',
      params.studentId ?? '',
    );
    return { redirectTo: `/courses/${course.id}`, toast: `${student.name} was removed from ${course.title}.` };
  });
}

export default function RemoveStudent() {
  const { course, student } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ConfirmAction
      title={`Remove ${student.name} from ${course.title}?`}
      confirmLabel="Remove student"
      cancelTo={`/courses/${course.id}`}
      error={result?.formError}
    >
      <p>They will no longer see the course. Their submissions and grades are kept.</p>
      <p>They can join again with the course’s join code.</p>
    </ConfirmAction>
  );
}
