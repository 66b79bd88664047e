import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireActor } from '~/auth/current-user.server';
import { getVideo } from '~/services/videos.server';
import { apiOk, apiRoute } from '~/utils/api.server';

export const loader = apiRoute(async ({ request, params, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context.services);
  return apiOk({ video: await getVideo(context.services, actor, params.videoId ?? '') });
});
