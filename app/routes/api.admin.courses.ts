import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { listAllCourses } from '~/services/admin-courses.server';
import { apiList, apiRoute, readPage } from '~/utils/api.server';

/** Every course (admins only), archived ones included, in the one list shape. */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  const { courses, nextCursor } = await listAllCourses(context.services, actor, readPage(new URL(request.url)));
  return apiList({ data: { courses } }, nextCursor);
});
