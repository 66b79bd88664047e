/**
 * WEB_CONCURRENCY=2 on a PostgreSQL server (docs/decisions/018): one primary, two workers
 * sharing the port; both serve; a live event caused on one worker reaches a stream held by the
 * other; a killed worker is replaced and the replacement serves; SIGTERM stops everything with
 * exit code 0. Needs a real server in DATABASE_URL (CI starts one) and Linux's /proc, which
 * tells the test which worker holds a connection.
 */
import type { ChildProcess } from 'node:child_process';
import { request as playwrightRequest } from '@playwright/test';
import {
  canReadProcesses,
  isRunning,
  pinnedConnection,
  startServerProcess,
  stopWithin,
  until,
  workerHolding,
  workerPids,
} from './cluster-processes';
import { expect, newUserData, test } from './fixtures';
import { eventData, openEventStream } from './sse-client';

const databaseUrl = process.env.DATABASE_URL;

test.skip(
  !databaseUrl || (process.env.E2E_BACKEND ?? 'postgres') !== 'postgres',
  'needs DATABASE_URL (a real PostgreSQL server)',
);
test.skip(!canReadProcesses, 'needs /proc (Linux) to see which worker holds a connection');
test.describe.configure({ mode: 'serial' });

let primary: ChildProcess;
let port: number;
let url: string;
let log: () => string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ({
    child: primary,
    port,
    url,
    log,
  } = await startServerProcess(
    {
      E2E_BACKEND: 'postgres-server',
      DATABASE_URL: databaseUrl,
      WEB_CONCURRENCY: '2',
      // Only the commit's own kick runs a job: the event is published by the worker that
      // took the request, never picked up by a poll on the other one.
      OUTBOX_POLL_MS: '60000',
    },
    '2 worker processes',
  ));
});

test.afterAll(async () => {
  if (primary && primary.exitCode === null) {
    primary.kill('SIGKILL');
    for (const pid of workerPids(primary.pid!)) process.kill(pid, 'SIGKILL');
  }
});

/** Opens fresh connections until one lands on `wanted` (the primary hands them out in turn). */
async function connectionTo(wanted: number, workers: number[]) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const connection = pinnedConnection(url);
    const res = await connection.send('GET', '/healthz');
    expect(res.status).toBe(200);
    if (workerHolding(workers, port, res.localPort) === wanted) return connection;
    connection.close();
  }
  throw new Error(`no connection reached worker ${wanted} in 20 attempts`);
}

async function signUp(role: 'student' | 'instructor', firstName: string) {
  const client = await playwrightRequest.newContext({ baseURL: url });
  const res = await client.post('/api/auth/signup', { data: newUserData(role, firstName) });
  expect(res.status(), await res.text()).toBe(201);
  const body = await res.json();
  const { cookies } = await client.storageState();
  return {
    client,
    id: body.user.id as string,
    bearer: { Authorization: `Bearer ${body.tokens.accessToken}`, 'Content-Type': 'application/json' },
    cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
  };
}

test('two workers serve the port; an event caused on one reaches a stream on the other', async () => {
  const workers = await until('two workers', 10_000, () => {
    const pids = workerPids(primary.pid!);
    return pids.length === 2 ? pids : undefined;
  });
  expect(workers).not.toContain(primary.pid);
  // Both serve: each is reached by some connection, and answers it.
  for (const pid of workers) (await connectionTo(pid, workers)).close();
  // The primary serves nothing itself: it holds no connection.
  const probe = pinnedConnection(url);
  const answered = await probe.send('GET', '/healthz');
  expect(workerHolding([primary.pid!], port, answered.localPort)).toBeUndefined();
  probe.close();

  const ana = await signUp('instructor', 'Ana');
  const ben = await signUp('student', 'Ben');
  try {
    const course = (
      await (await ana.client.post('/api/courses', { data: { title: 'Two Workers', code: 'TW-2' } })).json()
    ).data;
    expect((await ben.client.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(201);

    const stream = await openEventStream(`${url}/events`, { Cookie: ben.cookie });
    try {
      await stream.waitFor((s) => s.events.some((e) => e.event === 'ready'), 10_000, 'ready');
      const streamWorker = workerHolding(workers, port, stream.localPort);
      expect(streamWorker, 'the stream is held by a worker').toBeDefined();
      const otherWorker = workers.find((pid) => pid !== streamWorker)!;

      const viaOther = await connectionTo(otherWorker, workers);
      try {
        const res = await viaOther.send(
          'POST',
          '/api/connections',
          ana.bearer,
          JSON.stringify({ requestedId: ben.id }),
        );
        expect(res.status, res.body).toBe(201);
        expect(workerHolding(workers, port, res.localPort)).toBe(otherWorker);
      } finally {
        viaOther.close();
      }
      await stream.waitFor((s) => s.events.some((e) => e.event === 'notification'), 15_000, 'the notification');
      expect(eventData<{ unreadCount: number }>(stream, 'notification')[0]!.unreadCount).toBe(1);
    } finally {
      stream.close();
    }
  } finally {
    await Promise.all([ana.client.dispose(), ben.client.dispose()]);
  }
});

test('a worker killed with SIGKILL is replaced, and the replacement serves', async () => {
  const before = workerPids(primary.pid!);
  expect(before).toHaveLength(2);
  const [victim, survivor] = before as [number, number];
  process.kill(victim, 'SIGKILL');
  const replacement = await until('a replacement worker', 30_000, () =>
    workerPids(primary.pid!).find((pid) => !before.includes(pid)),
  );
  expect(isRunning(survivor)).toBe(true);
  await until('the replacement to serve', 60_000, async () => {
    const connection = pinnedConnection(url);
    try {
      const res = await connection.send('GET', '/login');
      expect(res.status).toBe(200);
      return workerHolding([replacement], port, res.localPort) ? true : undefined;
    } finally {
      connection.close();
    }
  });
  expect(log()).toMatch(new RegExp(`worker ${victim} stopped \\(killed by SIGKILL\\): starting a replacement`));
});

test('SIGTERM on the primary stops every worker and exits 0 within 15 s', async () => {
  const workers = workerPids(primary.pid!);
  expect(workers).toHaveLength(2);
  expect(await stopWithin(primary, 15_000), log()).toBe(0);
  for (const pid of workers) expect(isRunning(pid), `worker ${pid} stopped`).toBe(false);
});
