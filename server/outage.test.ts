/**
 * The production server against a Postgres server, and an S3, that go away (issue 17, "outages heal"):
 * while it is gone, API calls answer 503 + Retry-After in the JSON envelope and pages a
 * plain-language 503 page, each within a bounded time; /readyz names the database; once the
 * server is back the same process serves again within seconds, no restart. The database is
 * taken away through a TCP proxy (tests/tcp-proxy.ts), on a database of this test's own.
 * Runs where DATABASE_URL names a Postgres server (as CI does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '../app/storage/local-s3.server';
import { apiClient, tinyMp4 } from '../tests/api-client';
import { ownDatabase } from '../tests/own-database';
import { freePort, startServerProcess, stopServerProcess, type ServerProcess } from '../tests/server-process';
import { startTcpProxy, type TcpProxy } from '../tests/tcp-proxy';

const databaseUrl = process.env.DATABASE_URL;

async function until<T>(probe: () => Promise<T | null>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within ${ms} ms`);
}

describe.runIf(databaseUrl)('the server while its Postgres server is away', () => {
  let server: ServerProcess;
  let proxy: TcpProxy;
  let base = '';
  let token = '';
  let cookie = '';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'classcast-outage-'));

  beforeAll(async () => {
    const url = new URL(await ownDatabase(databaseUrl!, 'outage'));
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    server = await startServerProcess(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: url.toString(),
        DATA_BACKEND: 'postgres',
        S3_LOCAL: 'true',
        DB_CONNECT_TIMEOUT_MS: '1000',
        DB_QUERY_TIMEOUT_MS: '3000',
        LOG_LEVEL: 'warn',
      },
      await freePort(),
    );
    base = server.base;

    const email = `outage-${Date.now()}@example.test`;
    const signup = await fetch(`${base}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email,
        password: 'correct-horse-42',
        firstName: 'Ona',
        lastName: 'Outage',
        role: 'instructor',
      }),
    });
    expect(signup.status).toBe(201);
    token = ((await signup.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
      body: new URLSearchParams({ email, password: 'correct-horse-42' }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^__classcast_session=/);
  }, 180_000);

  afterAll(async () => {
    await stopServerProcess(server);
    await proxy?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = () => fetch(`${base}/api/courses`, { headers: { Authorization: `Bearer ${token}` } });

  it('answers 503 with Retry-After, fast, while the database is away, and heals without a restart', async () => {
    expect((await api()).status).toBe(200);
    expect((await fetch(`${base}/dashboard`, { headers: { Cookie: cookie } })).status).toBe(200);

    await proxy.cut();
    const started = Date.now();
    const json = await api();
    expect(json.status).toBe(503);
    expect(json.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await json.json()).toMatchObject({ success: false, code: 'DATA_STORE_UNAVAILABLE' });

    const page = await fetch(`${base}/dashboard`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(503);
    expect(page.headers.get('Retry-After')).toMatch(/^\d+$/);
    const html = await page.text();
    expect(html).toContain('reach its database');
    expect(html).not.toMatch(/ECONNREFUSED|P1001|127\.0\.0\.1:\d+/);
    // Each answer came within the bounded waits (1 s connect, 3 s per statement), not a hang.
    expect(Date.now() - started).toBeLessThan(8_000);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toBe('down');

    await proxy.restore();
    const back = Date.now();
    await until(async () => ((await api()).status === 200 ? true : null), 15_000, 'serving again');
    expect(Date.now() - back).toBeLessThan(10_000);
    expect((await fetch(`${base}/dashboard`, { headers: { Cookie: cookie } })).status).toBe(200);
    await until(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : null), 15_000, 'ready again');
    expect(server.child.exitCode).toBeNull();
  }, 90_000);
});

describe('the server while its S3 is away', () => {
  let server: ServerProcess;
  let proxy: TcpProxy;
  let s3: LocalS3;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'classcast-s3-outage-'));

  beforeAll(async () => {
    const port = await freePort();
    s3 = await startLocalS3({
      directory: path.join(dataDir, 's3'),
      bucket: 'classcast-videos',
      corsOrigins: [`http://127.0.0.1:${port}`],
    });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) });
    server = await startServerProcess(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        DATA_BACKEND: 'postgres',
        S3_LOCAL: 'false',
        S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
        LOG_LEVEL: 'warn',
      },
      port,
    );
  }, 180_000);

  afterAll(async () => {
    await stopServerProcess(server);
    await proxy?.close();
    await s3?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const { call, uploadVideo, classroom } = apiClient(() => server.base);

  it('a finalize during the outage answers 503 with Retry-After and keeps the upload; the retry afterwards succeeds', async () => {
    const { students, assignmentId } = await classroom(1);
    const student = students[0]!.token;
    const fileKey = await uploadVideo(student, assignmentId);

    await proxy.cut();
    const started = Date.now();
    const during = await call(student, 'POST', '/api/video-submissions', { assignmentId, fileKey });
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ success: false, code: 'STORAGE_UNAVAILABLE' });
    expect(during.retryAfter).toMatch(/^\d+$/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const ready = await fetch(`${server.base}/readyz`);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.storage).toBe('down');

    await proxy.restore();
    const after = await call(student, 'POST', '/api/video-submissions', { assignmentId, fileKey });
    expect(after.status).toBe(201);
    expect(after.body.submission).toMatchObject({ status: 'submitted', fileSize: tinyMp4().length });
  }, 90_000);
});
