import type { RequestHandler, Response as ExpressResponse } from 'express';
// Relative: server.ts imports this module outside the Remix build.
import { liveStreamOpened } from '../utils/metrics.server';
import { formatRetry } from './sse-format';
import { LIVE_STREAM_PATH } from './wire';

/** This process's open streams, so a shutdown can tell each client to reconnect elsewhere. */
const openStreams = new Set<() => void>();
const encoder = new TextEncoder();

/** Whether a response (by its Content-Type header) is a Server-Sent Events stream. */
export function isEventStream(contentType: unknown): boolean {
  return /^\s*text\/event-stream\b/i.test(String(contentType ?? ''));
}

/** Middleware that /events does without (compression, page security headers). */
export function skipForLiveStream(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => (req.path === LIVE_STREAM_PATH ? next() : middleware(req, res, next));
}

/**
 * Sends an event stream for server.ts. Remix's writer never waits for 'drain'; this one does,
 * so what a client does not read stays queued in the hub's stream, which caps it (and closes a
 * stream that falls behind), instead of piling up in Node's socket buffer without limit.
 * Callbacks rather than an async loop: a held stream keeps only its reader and `res` alive,
 * not the request it came from (5,000 open streams make every retained object count).
 */
export function sendEventStream(res: ExpressResponse, response: Response): void {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  res.flushHeaders();
  const body = response.body;
  if (!body) {
    res.end();
    return;
  }
  const reader = body.getReader();
  const closed = liveStreamOpened();
  const endForShutdown = () => {
    if (res.destroyed || res.writableEnded) return;
    res.write(formatRetry(SHUTDOWN_RETRY_MS));
    res.write(encoder.encode('event: close\ndata: {"reason":"shutdown"}\n\n'));
    reader.cancel().catch(() => undefined);
    res.end();
  };
  openStreams.add(endForShutdown);
  res.on('close', () => {
    openStreams.delete(endForShutdown);
    closed();
    reader.cancel().catch(() => undefined);
  });
  res.on('drain', pump);
  pump();

  function pump() {
    reader.read().then(
      ({ done, value }) => {
        if (done || res.destroyed) {
          res.end();
          return;
        }
        // A full socket buffer: wait for 'drain' (which pumps again) instead of reading on.
        if (res.write(value)) pump();
      },
      () => {
        // The hub dropped a client that stopped reading: cut the connection, it reconnects.
        res.destroy();
      },
    );
  }
}

/** Reconnect soon: by then the load balancer sends the client to a process that still serves. */
const SHUTDOWN_RETRY_MS = 1000;

/** Shutdown: every open stream gets `retry:` and a `close` event, then ends (the browser reconnects). */
export function endEventStreams(): number {
  const ends = [...openStreams];
  for (const end of ends) end();
  return ends.length;
}
