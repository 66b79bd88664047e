import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { createAssignment, listCourseAssignments } from '~/services/assignments.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';
import { AppError } from '~/utils/errors';

export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  const courseId = url.searchParams.get('courseId');
  if (!courseId)
    throw new AppError('VALIDATION_ERROR', 'courseId is required.', {
      fields: { courseId: ['courseId is required.'] },
    });
  const page = readPage(url);
  const { assignments, totalCount, nextCursor } = await listCourseAssignments(context.services, actor, courseId, page);
  return apiList({ data: { assignments, totalCount } }, nextCursor);
});

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const assignment = await createAssignment(context.services, actor, await readBody(request));
  return apiOk({ data: assignment }, { status: 201 });
});
