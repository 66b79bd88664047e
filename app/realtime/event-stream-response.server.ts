import type { Response as ExpressResponse } from 'express';
import { once } from 'node:events';

/** Whether a response (by its Content-Type header) is a Server-Sent Events stream. */
export function isEventStream(contentType: unknown): boolean {
  return /^\s*text\/event-stream\b/i.test(String(contentType ?? ''));
}

/**
 * Sends an event stream for server.ts. Remix's writer never waits for 'drain'; this one does,
 * so what a client does not read stays queued in the hub's stream, which caps it (and closes a
 * stream that falls behind), instead of piling up in Node's socket buffer without limit.
 */
export async function sendEventStream(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const gone = once(res, 'close').then(() => reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await Promise.race([once(res, 'drain'), gone]);
    }
    res.end();
  } catch {
    // The hub dropped a client that stopped reading: cut the connection, it reconnects.
    res.destroy();
  }
}
