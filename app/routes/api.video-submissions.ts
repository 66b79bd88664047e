import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { finalizeSubmission } from '~/services/finalize.server';
import { listSubmissions } from '~/services/submissions.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const { submissions, nextCursor } = await listSubmissions(
    context.services,
    actor,
    Object.fromEntries(url.searchParams),
    readPage(url),
  );
  return apiList({ submissions, count: submissions.length }, nextCursor);
});

/** Finalize: 201 with the new submission, or 200 with the same one when retried. */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const { submission, created } = await finalizeSubmission(context.services, actor, await readBody(request));
  return apiOk({ submission }, { status: created ? 201 : 200 });
});
