import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { joinCourse } from '~/services/courses.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** POST { joinCode }: the API twin of the dashboard's join form. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const course = await joinCourse(context.services, actor, await readBody(request));
  return apiOk({ data: course }, { status: 201 });
});
