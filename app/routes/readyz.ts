/** Readiness probe (app/services/readiness.server.ts): 200 when every dependency answers, else 503 naming which. */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { checkReadiness } from '~/services/readiness.server';

/** Seconds a probe or client should wait before asking again. */
const RETRY_AFTER_SECONDS = 5;

export async function loader({ context }: LoaderFunctionArgs) {
  const { ready, checks } = await checkReadiness(context.services);
  return new Response(JSON.stringify({ status: ready ? 'ready' : 'unavailable', checks }), {
    status: ready ? 200 : 503,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(ready ? {} : { 'Retry-After': String(RETRY_AFTER_SECONDS) }),
    },
  });
}
