import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { syncRoster } from '~/services/lti-roster.server';
import { apiOk, apiRoute, postOnlyLoader, requireMethod } from '~/utils/api.server';

export const loader = postOnlyLoader;

/** Pulls the LMS roster into the course (its instructor or an admin); 503 when the LMS is down. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  return apiOk({ data: await syncRoster(context.services, actor, params.courseId ?? '') });
});
