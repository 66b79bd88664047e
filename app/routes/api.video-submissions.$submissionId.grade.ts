import type { ActionFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { gradeSubmission } from '~/services/grading.server';
import { apiOk, apiRoute, readBody, requireMethod } from '~/utils/api.server';

export { postOnlyLoader as loader } from '~/utils/api.server';

/** The grading endpoint: `{grade, feedback}`; the course's instructor (or an admin) only. */
export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST', 'PUT');
  const actor = await requireActor(request, context.services);
  const submission = await gradeSubmission(context.services, actor, params.submissionId ?? '', await readBody(request));
  return apiOk({ submission });
});
