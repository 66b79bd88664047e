import { describe, expect, it } from 'vitest';
import { dbCallCounter, metricsResponse } from './metrics.server';

const TOKEN = 'a-metrics-token-of-some-length';
const scrape = (headers: Record<string, string> = {}, options: { token?: string } = { token: TOKEN }) =>
  metricsResponse(new Request('http://localhost/metrics', { headers }), options.token);

function dbCalls(text: string, backend: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`classcast_db_calls_total{backend="${backend}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('/metrics', () => {
  it('is not there when no token is configured', async () => {
    const res = await scrape({ Authorization: `Bearer ${TOKEN}` }, {});
    expect(res.status).toBe(404);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { Authorization: 'Bearer not-the-token' }],
    ['the token with a suffix', { Authorization: `Bearer ${TOKEN}x` }],
    ['the token as Basic auth', { Authorization: `Basic ${TOKEN}` }],
  ])('answers 401 to %s', async (_label, headers) => {
    const res = await scrape(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(await res.text()).not.toContain('classcast_db_calls_total');
  });

  it('serves the call counter by backend and the process metrics in Prometheus text format', async () => {
    const before = await (await scrape({ Authorization: `Bearer ${TOKEN}` })).text();
    const postgres = dbCallCounter('postgres');
    const dynamodb = dbCallCounter('dynamodb');
    for (let i = 0; i < 3; i += 1) postgres('SELECT 1', 4);
    dynamodb('QueryCommand');

    const res = await scrape({ Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE classcast_db_calls_total counter');
    expect(dbCalls(text, 'postgres') - dbCalls(before, 'postgres')).toBe(3);
    expect(dbCalls(text, 'dynamodb') - dbCalls(before, 'dynamodb')).toBe(1);
    // Latency is observed when the adapter knows it (three 4 ms statements: within the 5 ms bucket).
    const le5ms = (t: string) =>
      Number(/^classcast_db_call_duration_seconds_bucket\{le="0.005",backend="postgres"\} (\d+)/m.exec(t)?.[1] ?? 0);
    expect(le5ms(text) - le5ms(before)).toBe(3);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
