import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getSubmission } from '~/services/submissions.server';
import { apiOk, apiRoute } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const submission = await getSubmission(context.services, actor, params.submissionId ?? '');
  return apiOk({ submission });
});
