/**
 * The client side of bench/sse.ts, in its own process so its sockets and parsing cost nothing
 * in the server's RSS: opens the streams it is told to (each its own connection), counts
 * `ready`, and for every bench notification records the delay from the publish stamp in its
 * id to its arrival. Talks to the bench over IPC only.
 */
import http from 'node:http';

export type ClientsRequest =
  | { type: 'open'; baseUrl: string; cookies: string[]; streamsPerUser: number }
  | { type: 'close-all' }
  | { type: 'report' };

export interface ClientsReport {
  /** ms from publish to arrival, one per (stream, round). */
  delays: number[];
  /** Streams that ended while the bench still held them. */
  endedEarly: number;
}

const OPEN_AT_ONCE = 200;
const BENCH_EVENT = /"notificationId":"bench_\d+_([\d.]+)"/g;

const requests = new Set<http.ClientRequest>();
const delays: number[] = [];
let endedEarly = 0;
let closing = false;

function openOne(baseUrl: string, cookie: string): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok: boolean) => {
      if (!settled) {
        settled = true;
        resolve(ok);
      }
    };
    const req = http.get(`${baseUrl}/events`, {
      agent: false,
      headers: { Cookie: cookie, Accept: 'text/event-stream' },
    });
    requests.add(req);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        settle(false);
        return;
      }
      res.setEncoding('utf8');
      let tail = '';
      res.on('data', (chunk: string) => {
        const now = performance.timeOrigin + performance.now();
        const text = tail + chunk;
        if (!settled && text.includes('event: ready')) settle(true);
        for (const match of text.matchAll(BENCH_EVENT)) delays.push(now - Number(match[1]));
        // An event split across chunks is matched once its end arrives.
        const lastBreak = text.lastIndexOf('\n\n');
        tail = lastBreak >= 0 ? text.slice(lastBreak + 2) : text;
      });
      res.on('close', () => {
        requests.delete(req);
        if (!closing) endedEarly += 1;
        settle(false);
      });
    });
    req.on('error', () => {
      requests.delete(req);
      settle(false);
    });
  });
}

process.on('message', async (message: ClientsRequest) => {
  if (message.type === 'open') {
    closing = false;
    const jobs: string[] = [];
    for (const cookie of message.cookies) for (let i = 0; i < message.streamsPerUser; i += 1) jobs.push(cookie);
    const started = Date.now();
    let ready = 0;
    let failed = 0;
    for (let i = 0; i < jobs.length; i += OPEN_AT_ONCE) {
      const results = await Promise.all(jobs.slice(i, i + OPEN_AT_ONCE).map((c) => openOne(message.baseUrl, c)));
      ready += results.filter(Boolean).length;
      failed += results.filter((ok) => !ok).length;
    }
    process.send?.({ type: 'opened', ready, failed, ms: Date.now() - started });
  } else if (message.type === 'close-all') {
    closing = true;
    for (const req of requests) req.destroy();
    requests.clear();
  } else if (message.type === 'report') {
    process.send?.({ type: 'report', delays, endedEarly } satisfies ClientsReport & { type: 'report' });
  }
});
process.on('disconnect', () => process.exit(0));
