/**
 * The process's Prometheus metrics: database calls by backend (counted from the adapters'
 * onQuery / onCommand hooks, wired in app/container.server.ts) and prom-client's default
 * process metrics (CPU, memory, event-loop lag, GC). Served by app/routes/metrics.ts behind a
 * bearer token (METRICS_TOKEN); the bench divides the call counter's growth by requests sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

export type DbBackend = 'postgres' | 'dynamodb';

interface Metrics {
  registry: Registry;
  dbCalls: Counter<'backend'>;
}

let metrics: Metrics | undefined;

/** Built on first use, so a process that never enables metrics never registers a collector. */
function processMetrics(): Metrics {
  if (metrics) return metrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const dbCalls = new Counter({
    name: 'classcast_db_calls_total',
    help: 'Database calls sent: SQL statements (postgres) or DynamoDB commands (dynamodb).',
    labelNames: ['backend'] as const,
    registers: [registry],
  });
  metrics = { registry, dbCalls };
  return metrics;
}

/** The hook an adapter calls once per statement or command sent. */
export function dbCallCounter(backend: DbBackend): () => void {
  // The labelled child is resolved once: the hook runs on every query.
  const child = processMetrics().dbCalls.labels(backend);
  return () => child.inc();
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
  return new Response(await registry.metrics(), {
    headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' },
  });
}
