import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { setCourseArchived } from '~/services/admin-courses.server';
import { apiOk, apiRoute, postOnlyLoader, readBody, requireMethod } from '~/utils/api.server';

export const loader = postOnlyLoader;

/** POST {archived: boolean} → the course: an admin or the course's own instructor. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  return apiOk({
    data: await setCourseArchived(context.services, actor, params.courseId ?? '', await readBody(request)),
  });
});
