import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getAssignment, updateAssignment } from '~/services/assignments.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const assignment = await getAssignment(context.services, actor, params.assignmentId ?? '');
  return apiOk({ data: assignment });
});

/** PATCH (or POST, for forms) updates title, description, due date, points, status, visibility. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'PATCH', 'PUT', 'POST');
  const actor = await requireActor(request, context.services);
  const assignment = await updateAssignment(
    context.services,
    actor,
    params.assignmentId ?? '',
    await readBody(request),
  );
  return apiOk({ data: assignment });
});
