/**
 * Two server processes on one PostgreSQL server (REALTIME_BUS=postgres): an event caused on
 * process 1 reaches a stream held by process 2. Needs a real server in DATABASE_URL (CI starts
 * one); the embedded PGlite cannot deliver NOTIFY across connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { freePort, serverProcessEnv } from './cluster-processes';
import { createAccount, expect, test } from './fixtures';
import { eventData, openEventStream } from './sse-client';

const databaseUrl = process.env.DATABASE_URL;

test.skip(
  !databaseUrl || (process.env.E2E_BACKEND ?? 'postgres') !== 'postgres',
  'needs DATABASE_URL (a real PostgreSQL server)',
);
test.describe.configure({ mode: 'serial' });

interface ServerProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
}

async function startServer(): Promise<ServerProcess> {
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/e2e-server.ts'], {
    env: serverProcessEnv({
      PORT: String(port),
      E2E_BACKEND: 'postgres-server',
      DATABASE_URL: databaseUrl,
      REALTIME_BUS: 'postgres',
      // Only the commit's own kick runs a job, so the event is published on the process that
      // caused it (1), never picked up by a poll on process 2.
      OUTBOX_POLL_MS: '60000',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, child, log: () => log };
}

async function stopServer(server: ServerProcess | undefined) {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

let one: ServerProcess | undefined;
let two: ServerProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  // One after the other: both run the migrations at start-up.
  one = await startServer();
  two = await startServer();
});

test.afterAll(async () => {
  await Promise.all([stopServer(one), stopServer(two)]);
});

async function signedIn(baseURL: string, role: 'student' | 'instructor', name: string) {
  const client: APIRequestContext = await playwrightRequest.newContext({ baseURL });
  await createAccount(client, role, name);
  const me = (await (await client.get('/api/auth/me')).json()).user;
  const { cookies } = await client.storageState();
  return { client, id: me.id as string, cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
}

test('a study-buddy request made on process 1 reaches B’s stream on process 2', async () => {
  const a = await signedIn(one!.url, 'instructor', 'Ana');
  const b = await signedIn(two!.url, 'student', 'Ben');
  try {
    const course = (
      await (await a.client.post('/api/courses', { data: { title: 'Two Servers', code: 'TS-2' } })).json()
    ).data;
    expect((await b.client.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(201);

    const stream = await openEventStream(`${two!.url}/events`, { Cookie: b.cookie });
    try {
      await stream.waitFor((s) => s.events.some((e) => e.event === 'ready'), 10_000, 'ready');
      expect(eventData(stream, 'ready')[0]).toMatchObject({ unreadNotifications: 0 });

      const res = await a.client.post('/api/connections', { data: { requestedId: b.id } });
      expect(res.status(), await res.text()).toBe(201);

      await stream.waitFor((s) => s.events.some((e) => e.event === 'notification'), 15_000, 'the notification');
      const [notification] = eventData<{ notificationId: string; unreadCount: number }>(stream, 'notification');
      expect(notification.unreadCount).toBe(1);
      // The event names the row process 1 committed: a replay on process 2 finds the same one.
      const before = stream.events.find((e) => e.event === 'ready')!.id!;
      const replay = await openEventStream(`${two!.url}/events`, { Cookie: b.cookie, 'Last-Event-ID': before });
      await replay.waitFor((s) => s.events.some((e) => e.event === 'ready'), 10_000, 'the replay');
      replay.close();
      expect(eventData(replay, 'notification')).toEqual([notification]);
    } finally {
      stream.close();
    }
  } finally {
    await Promise.all([a.client.dispose(), b.client.dispose()]);
  }
});
