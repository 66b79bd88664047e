import type { LoaderFunctionArgs } from '@remix-run/node';
import { getLiveCookieSession } from '~/auth/session.server';
import { openLiveStream } from '~/services/live-stream.server';
import { apiRoute, loaderAllowing } from '~/utils/api.server';

/** The stream must reach the browser as it is written: no caching, no proxy buffering, no compression. */
const LIVE_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
  // server.ts leaves out the page security headers here (each open stream would hold them).
  'X-Content-Type-Options': 'nosniff',
};

/** GET /events: the signed-in user's Server-Sent Events (app/realtime/wire.ts). */
export const loader = apiRoute(async ({ request, context }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const body = await openLiveStream(context.services, await getLiveCookieSession(request, context.services), {
    lastEventId: request.headers.get('Last-Event-ID') ?? url.searchParams.get('lastEventId'),
    requestedUserId: url.searchParams.get('userId'),
    accept: request.headers.get('Accept'),
    signal: request.signal,
  });
  return new Response(body, { headers: LIVE_STREAM_HEADERS });
});

export const action = loaderAllowing('GET');
