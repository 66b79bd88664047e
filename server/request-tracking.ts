/**
 * First middleware of every request: its id (the proxy's X-Request-Id when it is a sane token,
 * else a fresh one; echoed back), the request context every log line of it carries, one
 * access-log line when it ends, and the request metrics (by route pattern, never raw URL).
 */
import type { RequestHandler } from 'express';
import { LIVE_STREAM_PATH } from '../app/realtime/wire';
import { logger } from '../app/utils/log.server';
import { recordHttpRequest } from '../app/utils/metrics.server';
import { requestIdFrom, runInRequest, type RequestContext } from '../app/utils/request-context.server';
import { isShuttingDown } from './graceful-shutdown';

/** Set on `res.locals` by a middleware that answered without Remix (the static files). */
export const ROUTE_PATTERN = 'routePattern';

export function requestTracking(opts: { patternOf: (pathname: string) => string; metrics: boolean }): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const context: RequestContext = { requestId: requestIdFrom(req.get('X-Request-Id')) };
    res.setHeader('X-Request-Id', context.requestId);
    if (isShuttingDown()) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const route = (res.locals[ROUTE_PATTERN] as string | undefined) ?? opts.patternOf(req.path);
      const durationMs = performance.now() - started;
      // 499 (nginx's word): the client went away before the answer was complete.
      const status = res.writableFinished ? res.statusCode : 499;
      const line = { method: req.method, route, status, durationMs: Math.round(durationMs * 10) / 10 };
      runInRequest(context, () =>
        route === 'static' ? logger.debug(line, 'request') : logger.info(line, 'request'),
      );
      // A live stream's duration is its lifetime, not a latency.
      if (opts.metrics && req.path !== LIVE_STREAM_PATH) recordHttpRequest(req.method, route, status, durationMs);
    });
    runInRequest(context, next);
  };
}
