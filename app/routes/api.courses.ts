import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { createCourse, listMyCourses } from '~/services/courses.server';
import { apiList, apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const page = readPage(new URL(request.url));
  const { courses, nextCursor } = await listMyCourses(context.services, actor, page);
  return apiList({ data: { courses } }, nextCursor);
});

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  requireMethod(request, 'POST');
  const actor = await requireActor(request, context.services);
  const course = await createCourse(context.services, actor, await readBody(request));
  return apiOk({ data: course }, { status: 201 });
});
