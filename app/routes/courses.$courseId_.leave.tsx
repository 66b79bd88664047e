import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { ConfirmAction } from '~/components/confirm-action';
import { requireActor } from '~/auth/current-user.server';
import { getCourseDetails, leaveCourse } from '~/services/courses.server';
import { forbidden } from '~/utils/errors';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Leave course · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const { course } = await getCourseDetails(context.services, actor, params.courseId ?? '', { limit: 1 });
    if (course.myRole !== 'student') throw forbidden('Only students can leave a course.');
    return { course: { id: course.id, title: course.title } };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const { course } = await leaveCourse(context.services, actor, params.courseId ?? '');
    return { redirectTo: '/dashboard', toast: `You left ${course.title}.` };
  });
}

export default function LeaveCourse() {
  const { course } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ConfirmAction
      title={`Leave ${course.title}?`}
      confirmLabel="Leave course"
      cancelTo={`/courses/${course.id}`}
      error={result?.formError}
    >
      <p>You will no longer see its assignments. Your submissions and grades are kept.</p>
      <p>To come back, join again with the course’s join code.</p>
    </ConfirmAction>
  );
}
