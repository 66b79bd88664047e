/**
 * What tests need from the stand-in beyond DynamoDB itself: a count of every operation it
 * received (so a run can prove it never scanned), and throttling on demand (so the app's
 * retry and 503 paths can be exercised). The counts and faults are always available
 * in-process; the HTTP endpoints under `/__stand-in/` exist only when the stand-in is started
 * with `testHooks: true` (the Playwright server does; the app's own DYNAMODB_LOCAL never
 * does, and production talks to AWS, never to this).
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';

const TYPE_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

/** The throttling answers DynamoDB gives, as the SDK receives them. */
export const THROTTLES = {
  ProvisionedThroughputExceededException: () => ({
    __type: `${TYPE_PREFIX}ProvisionedThroughputExceededException`,
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  }),
  ThrottlingException: () => ({
    __type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  }),
  RequestLimitExceeded: () => ({
    __type: `${TYPE_PREFIX}RequestLimitExceeded`,
    message: 'Throughput exceeds the current throughput limit for your account.',
  }),
  /** A transaction cancelled because its items were throttled: one reason per item. */
  TransactionThrottled: (body: Record<string, unknown>) => {
    const items = Array.isArray(body.TransactItems) ? body.TransactItems.length : 1;
    return {
      __type: `${TYPE_PREFIX}TransactionCanceledException`,
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
      CancellationReasons: Array.from({ length: items }, () => ({
        Code: 'ThrottlingError',
        Message: 'Throughput exceeds the current capacity for one or more global secondary indexes.',
      })),
    };
  },
} satisfies Record<string, (body: Record<string, unknown>) => Record<string, unknown>>;

export type ThrottleKind = keyof typeof THROTTLES;

export interface Throttle {
  /** The operation as in X-Amz-Target, without its prefix: `GetItem`, `Query`, `TransactWriteItems`. */
  operation: string;
  /** How many matching requests are answered with the throttle; then they pass again. */
  times: number;
  kind?: ThrottleKind;
  /** Only requests whose JSON body contains this text (a user's id, say): other tests run on. */
  bodyContains?: string;
}

const throttleSchema = z.object({
  operation: z.string().regex(/^[A-Za-z]+$/),
  times: z.number().int().min(1).max(100_000),
  kind: z.enum(Object.keys(THROTTLES) as [ThrottleKind, ...ThrottleKind[]]).optional(),
  bodyContains: z.string().min(1).max(1000).optional(),
});

export interface TestHooks {
  /** Requests received so far, by operation (`Query`, `GetRecords`...). */
  operations(): Record<string, number>;
  throttle(rule: Throttle): void;
  clearThrottles(): void;
}

interface ArmedThrottle extends Required<Omit<Throttle, 'bodyContains'>> {
  bodyContains?: string;
}

/** Wraps the stand-in's request listener; `http` turns the `/__stand-in/` endpoints on. */
export function withTestHooks(
  next: http.RequestListener,
  opts: { http: boolean },
): { listener: http.RequestListener; hooks: TestHooks } {
  const counts: Record<string, number> = {};
  let armed: ArmedThrottle[] = [];

  const hooks: TestHooks = {
    operations: () => ({ ...counts }),
    throttle: (rule) => void armed.push({ kind: 'ProvisionedThroughputExceededException', ...rule }),
    clearThrottles: () => void (armed = []),
  };

  /** The first armed rule this request meets, used up by one. */
  function takeThrottle(operation: string, raw: string): ArmedThrottle | null {
    const rule = armed.find((r) => r.operation === operation && (!r.bodyContains || raw.includes(r.bodyContains)));
    if (!rule) return null;
    rule.times -= 1;
    if (rule.times <= 0) armed = armed.filter((r) => r !== rule);
    return rule;
  }

  function answer(res: http.ServerResponse, status: number, body?: unknown) {
    res.statusCode = status;
    if (body === undefined) return res.end();
    res.setHeader('Content-Type', 'application/x-amz-json-1.0');
    res.end(JSON.stringify(body));
  }

  function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  async function endpoint(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/__stand-in/operations') return answer(res, 200, hooks.operations());
    if (req.method === 'DELETE' && url === '/__stand-in/throttles') {
      hooks.clearThrottles();
      return answer(res, 204);
    }
    if (req.method === 'POST' && url === '/__stand-in/throttles') {
      let parsed: z.ZodSafeParseResult<Throttle>;
      try {
        parsed = throttleSchema.safeParse(JSON.parse((await readBody(req)).toString('utf8')));
      } catch {
        return answer(res, 400, { message: 'The body must be JSON.' });
      }
      if (!parsed.success) return answer(res, 400, { message: z.prettifyError(parsed.error) });
      hooks.throttle(parsed.data);
      return answer(res, 204);
    }
    answer(res, 404, { message: 'No such test hook.' });
  }

  const listener: http.RequestListener = (req, res) => {
    if (opts.http && req.url?.startsWith('/__stand-in/')) return void endpoint(req, res);
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^.*\./, '') || '(none)';
    counts[operation] = (counts[operation] ?? 0) + 1;
    if (!armed.some((r) => r.operation === operation)) return next(req, res);
    // A rule for this operation is armed: read the body to match it, then answer or replay.
    void readBody(req).then(
      (raw) => {
        const text = raw.toString('utf8');
        const rule = takeThrottle(operation, text);
        if (rule) {
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // The throttle answers before any validation, as DynamoDB's front door does.
          }
          return answer(res, 400, THROTTLES[rule.kind](body));
        }
        const replay = Object.assign(Readable.from(raw.length ? [raw] : []), {
          headers: req.headers,
          method: req.method,
          url: req.url,
        });
        next(replay as unknown as http.IncomingMessage, res);
      },
      () => res.destroy(),
    );
  };
  return { listener, hooks };
}
