/**
 * The production server as a child process (scripts/start.ts on a throw-away DATA_DIR):
 * /readyz (and its 503 once the S3 stand-in, run here so the test can stop it, is gone), the request id round trip and log redaction, /metrics after real requests, and a
 * graceful SIGTERM with a request in flight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '../app/storage/local-s3.server';
import { freePort, startServerProcess, stopServerProcess, type ServerProcess } from '../tests/server-process';

const TOKEN = 'operability-test-metrics-token';
const EMAIL = 'nobody.here@example.org';
const PASSWORD = 'not-a-real-password-77';

let PORT = 0;
let BASE = '';
let server: ServerProcess;
let s3: LocalS3;
const dataDir = mkdtempSync(path.join(tmpdir(), 'classcast-ops-'));

beforeAll(async () => {
  PORT = await freePort();
  BASE = `http://127.0.0.1:${PORT}`;
  s3 = await startLocalS3({
    directory: path.join(dataDir, 's3-outside'),
    bucket: 'classcast-videos',
    corsOrigins: [BASE],
  });
  server = await startServerProcess(
    {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      METRICS_TOKEN: TOKEN,
      DATABASE_URL: '',
      DATA_BACKEND: 'postgres',
      LOG_LEVEL: 'info',
    },
    PORT,
  );
}, 180_000);

afterAll(async () => {
  await stopServerProcess(server);
  await s3.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const output = () => server.output();

const logLines = () =>
  output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the production server, operated', () => {
  it('is ready on embedded Postgres and the S3 stand-in', async () => {
    const res = await fetch(`${BASE}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', storage: 'ok', bus: 'ok' },
    });
  });

  it('keeps a sane X-Request-Id, replaces any other, and logs one access line by route pattern', async () => {
    const kept = await fetch(`${BASE}/api/videos/some-video-id`, { headers: { 'X-Request-Id': 'proxy-req-0001' } });
    expect(kept.headers.get('X-Request-Id')).toBe('proxy-req-0001');
    const replaced = await fetch(`${BASE}/healthz`, { headers: { 'X-Request-Id': 'bad id\twith "quotes"' } });
    expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 200));
    const line = logLines().find((l) => l.requestId === 'proxy-req-0001' && l.msg === 'request');
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/api/videos/:videoId', status: kept.status });
    expect(typeof line!.time).toBe('string');
    expect(JSON.stringify(logLines())).not.toContain('some-video-id');
  });

  it('never logs a password or a full email address', async () => {
    const res = await fetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'login-attempt-0001' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(logLines().some((l) => l.requestId === 'login-attempt-0001')).toBe(true);
    expect(output()).not.toContain(PASSWORD);
    expect(output()).not.toContain(EMAIL);
  });

  it('serves request, database and S3 metrics after real requests', async () => {
    await fetch(`${BASE}/readyz`);
    const res = await fetch(`${BASE}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^classcast_http_requests_total\{method="GET",route="\/readyz",status="200"\} [1-9]/m);
    expect(text).toMatch(/^classcast_http_request_duration_seconds_count\{method="GET",route="\/readyz"\} [1-9]/m);
    expect(text).toMatch(/^classcast_db_call_duration_seconds_count\{backend="postgres"\} [1-9]/m);
    expect(text).toMatch(/^classcast_s3_call_duration_seconds_count\{operation="HeadBucket",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^classcast_outbox_pending \d+/m);
    expect(text).toMatch(/^classcast_outbox_oldest_age_seconds [\d.]+/m);
    expect(text).toMatch(/^classcast_live_streams 0/m);
    // Raw ids never become labels.
    expect(text).not.toContain('some-video-id');
  });

  it('answers 503 naming storage, and nothing else about it, once the S3 stand-in is stopped', async () => {
    await s3.stop();
    const res = await fetch(`${BASE}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', migrations: 'ok', storage: 'down', bus: 'ok' },
    });
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|S3RVER/);
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0', async () => {
    const body = JSON.stringify({ email: EMAIL, password: PASSWORD });
    const socket = net.connect(PORT, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const ended = new Promise((r) => socket.once('close', r));
    socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    // Stopped accepting: a new connection is refused while the old request is still open.
    await expect(fetch(`${BASE}/healthz`)).rejects.toThrow();
    socket.write(body.slice(10));
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 (401|400|429) /);
    expect(answer).toMatch(/"success":false/);
    expect(await server.exited).toBe(0);
    expect(logLines().some((l) => l.msg === 'shut down cleanly')).toBe(true);
  }, 60_000);
});
