/**
 * A rolling restart (issue 17, part 3): WEB_CONCURRENCY=2 on a Postgres server, requests flowing
 * the whole time, SIGHUP to the primary replaces both workers one by one, and not one request is
 * dropped or answered with an error. Each request uses a connection of its own (as requests
 * through a load balancer arrive), so every one of them is in flight on some worker.
 * Runs where DATABASE_URL names a Postgres server (as CI does).
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownDatabase } from '../tests/own-database';
import { freePort, startServerProcess, stopServerProcess, type ServerProcess } from '../tests/server-process';

const databaseUrl = process.env.DATABASE_URL;
const METRICS_TOKEN = 'rolling-restart-metrics-token';

/** One /metrics scrape on a fresh connection: the body and the scope header. */
function scrape(port: number): Promise<{ scope: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        agent: false,
        headers: { Authorization: `Bearer ${METRICS_TOKEN}`, Connection: 'close' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ scope: res.headers['x-metrics-scope'] as string | undefined, text }));
      },
    );
    req.on('error', reject);
  });
}

/** One GET on a fresh connection; resolves with the status, or the error's code. */
function get(port: number, url: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: url,
        agent: false,
        headers: { Authorization: `Bearer ${token}`, Connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'response error'));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'request error'));
    req.setTimeout(15_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
  });
}

describe.runIf(databaseUrl)('a rolling restart of two worker processes', () => {
  let server: ServerProcess;
  let port = 0;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'classcast-rolling-'));

  beforeAll(async () => {
    port = await freePort();
    server = await startServerProcess(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: await ownDatabase(databaseUrl!, 'rolling'),
        DATA_BACKEND: 'postgres',
        WEB_CONCURRENCY: '2',
        LOG_LEVEL: 'warn',
        METRICS_TOKEN,
      },
      port,
    );
  }, 180_000);

  afterAll(async () => {
    await stopServerProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /metrics for both workers, whichever takes the scrape', async () => {
    const counted = (text: string) =>
      Number(
        /^classcast_http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)/m.exec(text)?.[1] ?? 0,
      );
    const before = counted((await scrape(port)).text);
    // Fresh connections are dealt to the two workers in turn.
    for (let i = 0; i < 40; i += 1) expect(await get(port, '/healthz', '')).toBe(200);
    for (let i = 0; i < 4; i += 1) {
      const { scope, text } = await scrape(port);
      expect(scope).toBe('cluster');
      expect(counted(text) - before).toBeGreaterThanOrEqual(40);
      expect(text).toMatch(/^classcast_outbox_pending \d+$/m);
    }
  }, 60_000);

  it('drops no request while SIGHUP replaces the workers one by one', async () => {
    const signup = await fetch(`${server.base}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: `rolling-${Date.now()}@example.test`,
        password: 'correct-horse-42',
        firstName: 'Rolf',
        lastName: 'Rolling',
        role: 'instructor',
      }),
    });
    expect(signup.status).toBe(201);
    const token = ((await signup.json()) as { tokens: { accessToken: string } }).tokens.accessToken;

    const outcomes: Array<number | string> = [];
    let flowing = true;
    // Four clients, each sending its next request as soon as the last is answered: bounded by
    // the flag below, and by the restart's own deadline.
    const clients = [1, 2, 3, 4].map(async () => {
      while (flowing) outcomes.push(await get(port, '/api/courses', token));
    });
    await new Promise((r) => setTimeout(r, 500));
    const before = outcomes.length;
    const done = new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 120_000;
      const check = setInterval(() => {
        if (server.output().includes('rolling restart done')) {
          clearInterval(check);
          resolve();
        } else if (Date.now() > deadline || server.output().includes('rolling restart abandoned')) {
          clearInterval(check);
          reject(new Error(`the rolling restart did not finish:\n${server.output().slice(-2000)}`));
        }
      }, 100);
    });
    server.child.kill('SIGHUP');
    await done;
    await new Promise((r) => setTimeout(r, 500));
    flowing = false;
    await Promise.all(clients);

    const failed = outcomes.filter((o) => o !== 200);
    expect(failed).toEqual([]);
    // Requests really flowed through the restart, not only before it.
    expect(outcomes.length - before).toBeGreaterThan(20);
    expect(server.output()).toMatch(/replacing 2 workers one by one/);
    expect(server.child.exitCode).toBeNull();
  }, 180_000);
});
