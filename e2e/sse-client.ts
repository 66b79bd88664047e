/**
 * A Server-Sent Events client for the specs that read /events as it is written (Playwright's
 * request API buffers whole bodies). Parses the wire format of app/realtime/wire.ts.
 */
import http from 'node:http';

export interface StreamEvent {
  id: string | null;
  event: string;
  data: string;
  /** ms after the request was sent. */
  at: number;
}

export interface SseConnection {
  status: number;
  /** This end's TCP port: which server process holds the stream can be read from /proc. */
  localPort: number;
  headers: http.IncomingHttpHeaders;
  /** The raw text received so far. */
  text(): string;
  events: StreamEvent[];
  comments: string[];
  ended: Promise<void>;
  isEnded(): boolean;
  waitFor(check: (c: SseConnection) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): void;
}

export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      let raw = '';
      let pending = '';
      let ended = false;
      const events: StreamEvent[] = [];
      const comments: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        pending += chunk;
        let cut: number;
        while ((cut = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, cut);
          pending = pending.slice(cut + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
            }
          }
          if (fields.event || fields.data) {
            events.push({
              id: fields.id ?? null,
              event: fields.event ?? 'message',
              data: fields.data ?? '',
              at: Date.now() - started,
            });
          }
        }
      });
      const endedPromise = new Promise<void>((done) => {
        const finish = () => {
          ended = true;
          done();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      const connection: SseConnection = {
        status: res.statusCode ?? 0,
        localPort: res.socket.localPort ?? 0,
        headers: res.headers,
        text: () => raw,
        events,
        comments,
        ended: endedPromise,
        isEnded: () => ended,
        async waitFor(check, timeoutMs = 10_000, what = 'the stream') {
          const deadline = Date.now() + timeoutMs;
          while (!check(connection)) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received:\n${raw}`);
            await new Promise((r) => setTimeout(r, 25));
          }
        },
        close: () => req.destroy(),
      };
      resolve(connection);
    });
    req.on('error', reject);
  });
}

/** The data of the named events, parsed. */
export function eventData<T = Record<string, unknown>>(connection: SseConnection, name: string): T[] {
  return connection.events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as T);
}
