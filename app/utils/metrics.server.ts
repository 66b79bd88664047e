/**
 * The process's Prometheus metrics: HTTP requests by route pattern, database calls and their
 * latency (the adapters' onQuery / onCommand hooks, wired in app/container.server.ts), S3 call
 * latency (a middleware on the S3 client), the outbox queue, open live streams, upload
 * finalize outcomes, and prom-client's default process metrics. Served by app/routes/metrics.ts
 * behind a bearer token (METRICS_TOKEN); the bench divides the call counter's growth by
 * requests sent.
 *
 * The registry lives on globalThis: server.ts (requests, live streams) and the Remix build
 * (everything else) are separate module graphs, and a scrape must see both.
 */
import cluster from 'node:cluster';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxRepository } from '~/data/repository';
import { CLUSTER_METRICS_ANSWER, CLUSTER_METRICS_REQUEST } from './cluster-metrics';

export type DbBackend = 'postgres' | 'dynamodb';

/** Seconds; from a cached page read (1 ms) to a request stuck behind a slow dependency. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CALL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Metrics {
  registry: Registry;
  dbCalls: Counter<'backend'>;
  dbCallSeconds: Histogram<'backend'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpRequestSeconds: Histogram<'method' | 'route'>;
  s3CallSeconds: Histogram<'operation' | 'outcome'>;
  liveStreams: Gauge;
  finalizeOutcomes: Counter<'outcome'>;
  outboxPending: Gauge;
  outboxOldestAge: Gauge;
}

/** Reads the outbox's depth at scrape time (set by the container that runs the jobs). */
let outboxQueue: Pick<OutboxRepository, 'countPending' | 'oldestPendingAt'> | undefined;

const METRICS_KEY = Symbol.for('classcast.metrics');
const holder = globalThis as typeof globalThis & { [METRICS_KEY]?: Metrics };

/** Built on first use, so a process that never records or serves metrics registers nothing. */
function processMetrics(): Metrics {
  const existing = holder[METRICS_KEY];
  if (existing) return existing;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (cluster.isWorker) {
    // The primary gathers every worker's registry for a scrape (see clusterMetricsText).
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    dbCalls: new Counter({
      name: 'classcast_db_calls_total',
      help: 'Database calls sent: SQL statements (postgres) or DynamoDB commands (dynamodb).',
      labelNames: ['backend'] as const,
      registers,
    }),
    dbCallSeconds: new Histogram({
      name: 'classcast_db_call_duration_seconds',
      help: 'Latency of one database call (SQL statement or DynamoDB command).',
      labelNames: ['backend'] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    httpRequests: new Counter({
      name: 'classcast_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (never the raw URL) and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: 'classcast_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (to the last byte; live streams are not counted).',
      labelNames: ['method', 'route'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    s3CallSeconds: new Histogram({
      name: 'classcast_s3_call_duration_seconds',
      help: 'Latency of one S3 call the server makes (presigning is local and not counted).',
      labelNames: ['operation', 'outcome'] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    liveStreams: new Gauge({
      name: 'classcast_live_streams',
      help: 'Server-Sent Events streams (/events) open in this process.',
      registers,
    }),
    finalizeOutcomes: new Counter({
      name: 'classcast_upload_finalize_total',
      help: 'Upload finalize attempts by outcome: ok, or the error code answered.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    outboxPending: new Gauge({
      name: 'classcast_outbox_pending',
      help: 'Outbox entries not done yet (the job queue depth), read at scrape time.',
      registers,
      // Every worker reads the same shared queue: across workers it is one figure, not a sum.
      aggregator: 'max',
      async collect() {
        if (!outboxQueue) return;
        // A scrape during an outage still answers; the gauge keeps its last value.
        const depth = await outboxQueue.countPending().catch(() => undefined);
        if (depth !== undefined) this.set(depth);
      },
    }),
    outboxOldestAge: new Gauge({
      name: 'classcast_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox entry not done yet (0 when none), read at scrape time.',
      registers,
      aggregator: 'max',
      async collect() {
        if (!outboxQueue) return;
        const oldest = await outboxQueue.oldestPendingAt().catch(() => undefined);
        if (oldest === undefined) return;
        this.set(oldest === null ? 0 : Math.max(0, (Date.now() - Date.parse(oldest)) / 1000));
      },
    }),
  };
  holder[METRICS_KEY] = metrics;
  return metrics;
}

/** The hook an adapter calls once per statement or command, with its latency when known. */
export function dbCallCounter(backend: DbBackend): (what: string, durationMs?: number) => void {
  // The labelled children are resolved once: the hook runs on every query.
  const calls = processMetrics().dbCalls.labels(backend);
  const seconds = processMetrics().dbCallSeconds.labels(backend);
  return (_what, durationMs) => {
    calls.inc();
    if (durationMs !== undefined) seconds.observe(durationMs / 1000);
  };
}

export function recordHttpRequest(method: string, route: string, status: number, durationMs: number): void {
  const m = processMetrics();
  m.httpRequests.labels(method, route, String(status)).inc();
  m.httpRequestSeconds.labels(method, route).observe(durationMs / 1000);
}

export function recordS3Call(operation: string, outcome: 'ok' | 'error', durationMs: number): void {
  processMetrics()
    .s3CallSeconds.labels(operation, outcome)
    .observe(durationMs / 1000);
}

export function liveStreamOpened(): () => void {
  const gauge = processMetrics().liveStreams;
  gauge.inc();
  let open = true;
  return () => {
    if (open) gauge.dec();
    open = false;
  };
}

export function recordFinalizeOutcome(outcome: string): void {
  processMetrics().finalizeOutcomes.labels(outcome).inc();
}

export function reportOutboxQueue(queue: Pick<OutboxRepository, 'countPending' | 'oldestPendingAt'> | undefined): void {
  outboxQueue = queue;
  processMetrics();
}

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function bearerMatches(request: Request, token: string): boolean {
  const header = request.headers.get('Authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** GET /metrics: 404 when metrics are off (no token configured), 401 without the token. */
export async function metricsResponse(request: Request, token: string | undefined): Promise<Response> {
  if (!token) return new Response('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  if (!bearerMatches(request, token)) {
    return new Response('Unauthorized', {
      status: 401,
      headers: { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="metrics"' },
    });
  }
  const { registry } = processMetrics();
  // Under WEB_CONCURRENCY the answer covers every worker, whichever took the scrape.
  const text = cluster.isWorker ? await clusterMetricsText() : null;
  return new Response(text ?? (await registry.metrics()), {
    headers: {
      'Content-Type': registry.contentType,
      'Cache-Control': 'no-store',
      'X-Metrics-Scope': text === null ? 'process' : 'cluster',
    },
  });
}

const CLUSTER_METRICS_TIMEOUT_MS = 6_000;

/**
 * Asks the cluster primary (server/cluster-primary.ts) for every worker's metrics, summed by
 * prom-client's AggregatorRegistry; null when it does not answer in time (this worker's own
 * figures are served instead, marked `X-Metrics-Scope: process`).
 */
function clusterMetricsText(): Promise<string | null> {
  const id = randomUUID();
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; id?: string; text?: string }) => {
      if (message?.type !== CLUSTER_METRICS_ANSWER || message.id !== id) return;
      finish(typeof message.text === 'string' ? message.text : null);
    };
    const timer = setTimeout(() => finish(null), CLUSTER_METRICS_TIMEOUT_MS);
    function finish(text: string | null) {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(text);
    }
    process.on('message', onMessage);
    process.send?.({ type: CLUSTER_METRICS_REQUEST, id });
  });
}
