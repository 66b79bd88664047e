import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getCourseDetails, updateCourse } from '~/services/courses.server';
import { apiOk, apiRoute, readBody, readPage, requireMethod } from '~/utils/api.server';

/** The course; its roster (with emails) only for its instructor. */
export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const details = await getCourseDetails(
    context.services,
    actor,
    params.courseId ?? '',
    readPage(new URL(request.url)),
  );
  return apiOk({ data: details });
});

export const action = apiRoute(async ({ request, params, context }: ActionFunctionArgs) => {
  requireMethod(request, 'PATCH', 'PUT', 'POST');
  const actor = await requireActor(request, context.services);
  const course = await updateCourse(context.services, actor, params.courseId ?? '', await readBody(request));
  return apiOk({ data: course });
});
