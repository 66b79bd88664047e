/**
 * `npm run bench:sse`: 5,000 concurrent /events streams on ONE server process (issue 11,
 * item 6): the server's RSS growth for holding them, and the delay from a publish to its
 * delivery at every client (targets: < 100 MB, p99 < 200 ms).
 *
 * This process IS the server: the production build (`remix build` first; the npm script does
 * it) started through server.ts on the embedded PGlite with the in-process bus, so every
 * stream goes through the real route, the real live-stream service, the hub and the
 * event-stream writer that /events uses. The clients run in a child process
 * (bench/sse-clients.ts) over loopback.
 *
 * The cheapest honest way to 5,000 authenticated streams: USERS users (created through the
 * repository, no password hashing) with one real session each (the auth-session row and the
 * signed cookie the login would set), each user holding STREAMS_PER_USER streams (tabs) — so
 * every stream passes the same cookie/session check a browser's does, and the hub fans one
 * event out to each user's streams. A round publishes one notification per user on the bus
 * (the jobs' call), all at once, each stamped as it is handed to the bus; the delay of a
 * client is its receipt time minus that stamp, so the p99 covers a burst of 500 publishes
 * being written to 5,000 sockets.
 *
 * Memory: with DATABASE_URL (a PostgreSQL server) the database lives in its own process and
 * the RSS growth is the streams' own cost; on the embedded default PGlite runs INSIDE this
 * process and its WASM heap grows with the 15,000 queries of the opens and never shrinks, so
 * there the JS-heap growth (also printed) is the streams' figure and RSS overstates it.
 *
 *   [DATABASE_URL=postgresql://…] npm run bench:sse [-- --users 500 --streams-per-user 10 --rounds 5 --no-results]
 *
 * Bounded: a hard stop after 170 s; the child is stopped by its pid; the temp folder is removed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { appendResults, commitDescription, createHarness, loadAverage, machineDescription } from './harness';
import type { ClientsReport, ClientsRequest } from './sse-clients';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '500' },
    'streams-per-user': { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    'no-results': { type: 'boolean', default: false },
  },
});
const USERS = Number(values.users);
const STREAMS_PER_USER = Number(values['streams-per-user']);
const ROUNDS = Number(values.rounds);
const STREAMS = USERS * STREAMS_PER_USER;
if (STREAMS_PER_USER > 20) throw new Error('--streams-per-user: the hub keeps at most 20 streams per user');

const HARD_STOP_MS = 170_000;
const hardStop = setTimeout(() => {
  console.error('bench:sse: hard stop after 170 s');
  process.exit(2);
}, HARD_STOP_MS);
hardStop.unref();

if (!existsSync('build/index.js')) throw new Error('no production build: run `npx remix build` first');

const harness = createHarness('classcast-bench-sse-');
const dataDir = harness.dir('data');
Object.assign(process.env, {
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  SESSION_SECRET: randomBytes(32).toString('hex'),
  JWT_SECRET: randomBytes(32).toString('hex'),
  SEED_DEMO: 'false',
  HOST: '127.0.0.1',
  PORT: '0',
  S3_LOCAL: 'true',
});
// A PostgreSQL server keeps the database's memory out of the figure (and the bus becomes
// LISTEN/NOTIFY); without one the embedded PGlite runs inside this process.
if (!process.env.DATABASE_URL) process.env.REALTIME_BUS = 'memory';

const mb = (bytes: number) => bytes / 1024 / 1024;
const rss = () => process.memoryUsage().rss;
const heap = () => {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
};
const settle = async () => {
  for (let i = 0; i < 3; i += 1) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 300));
  }
};
function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

const { startServer } = await import('../server');
const { createUserSessionCookie } = await import('~/auth/session.server');
const { server, container } = await startServer();
const address = server.address();
const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const services = container.services;

console.error(`bench:sse: ${USERS} users × ${STREAMS_PER_USER} streams = ${STREAMS} streams, ${ROUNDS} rounds`);
const users: Array<{ id: string; cookie: string }> = [];
for (let i = 0; i < USERS; i += 1) {
  const user = await services.repos.users.create({
    email: `sse-bench-${i}-${randomBytes(3).toString('hex')}@bench.test`,
    firstName: 'Bench',
    lastName: `User ${i}`,
    role: 'student',
    passwordHash: null,
  });
  const setCookie = await createUserSessionCookie(services, user.id);
  users.push({ id: user.id, cookie: setCookie.split(';')[0] });
}

const clients = harness.start('SSE clients', 'bench/sse-clients.ts', [], process.env, { stdout: 'inherit', ipc: true });
const child = clients.proc;

type FromChild = { type: 'opened'; ready: number; failed: number; ms: number } | ({ type: 'report' } & ClientsReport);
const fromChild = (type: FromChild['type']) =>
  new Promise<FromChild>((resolve, reject) => {
    const onMessage = (message: FromChild) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`clients exited (${code})`)));
  });
const send = (message: ClientsRequest) => child.send(message);

// Warm-up: the route, the service and the hub's code paths loaded before the baseline.
send({ type: 'open', baseUrl, cookies: users.slice(0, 20).map((u) => u.cookie), streamsPerUser: 1 });
await fromChild('opened');
send({ type: 'close-all' });
await new Promise((r) => setTimeout(r, 1000));
await settle();
const baseline = rss();
const baselineHeap = heap();

const opening = Date.now();
send({ type: 'open', baseUrl, cookies: users.map((u) => u.cookie), streamsPerUser: STREAMS_PER_USER });
const opened = (await fromChild('opened')) as Extract<FromChild, { type: 'opened' }>;
await settle();
const held = rss();
const heldHeap = heap();
console.error(
  `bench:sse: ${opened.ready}/${STREAMS} streams ready (${opened.failed} failed) in ${((Date.now() - opening) / 1000).toFixed(1)} s; RSS +${mb(held - baseline).toFixed(1)} MB`,
);

for (let round = 0; round < ROUNDS; round += 1) {
  // All of a round's publishes at once, each stamped as it is handed to the bus.
  await Promise.all(
    users.map((user, i) => {
      const stamp = performance.timeOrigin + performance.now();
      return services.bus.publish({
        type: 'notification',
        userId: user.id,
        notificationId: `bench_${round}_${stamp}`,
        position: { at: new Date().toISOString(), id: `bench_${round}_${i}` },
        unreadCount: round + 1,
      });
    }),
  );
  await new Promise((r) => setTimeout(r, 1000));
}
await new Promise((r) => setTimeout(r, 1000));
send({ type: 'report' });
const report = (await fromChild('report')) as Extract<FromChild, { type: 'report' }>;
await settle();
const afterRounds = rss();
send({ type: 'close-all' });
await harness.stop(clients);

const delays = report.delays.sort((a, b) => a - b);
const expected = opened.ready * ROUNDS;
const figures = {
  streams: opened.ready,
  failed: opened.failed,
  baselineMb: mb(baseline),
  growthMb: mb(held - baseline),
  growthAfterRoundsMb: mb(afterRounds - baseline),
  perStreamKb: (held - baseline) / 1024 / Math.max(1, opened.ready),
  heapGrowthMb: mb(heldHeap.heapUsed - baselineHeap.heapUsed),
  externalGrowthMb: mb(heldHeap.external - baselineHeap.external),
  delivered: delays.length,
  expected,
  p50: percentile(delays, 50),
  p99: percentile(delays, 99),
  max: delays.at(-1) ?? NaN,
};
const line = (label: string, value: string) => console.log(`${label.padEnd(34)} ${value}`);
console.log('');
line('streams held', `${figures.streams} (${figures.failed} failed to open)`);
line('server RSS before the streams', `${figures.baselineMb.toFixed(1)} MB`);
line('RSS growth holding them', `${figures.growthMb.toFixed(1)} MB (${figures.perStreamKb.toFixed(1)} KB per stream)`);
line(
  'of which JS heap / external',
  `${figures.heapGrowthMb.toFixed(1)} MB / ${figures.externalGrowthMb.toFixed(1)} MB`,
);
line('RSS growth after the rounds', `${figures.growthAfterRoundsMb.toFixed(1)} MB`);
line('events delivered', `${figures.delivered} of ${figures.expected}`);
line(
  'publish → delivery p50 / p99 / max',
  `${figures.p50.toFixed(1)} / ${figures.p99.toFixed(1)} / ${figures.max.toFixed(1)} ms`,
);
const pass = figures.growthMb < 100 && figures.p99 < 200 && figures.delivered === figures.expected;
line('targets (< 100 MB, p99 < 200 ms, all delivered)', pass ? 'met' : 'NOT met');

if (!values['no-results']) {
  const entry = [
    '',
    `## SSE: ${figures.streams} concurrent /events streams on one process (${new Date().toISOString()})`,
    '',
    `- machine: ${machineDescription()}; load average at the end ${loadAverage()}`,
    `- commit: ${commitDescription()}`,
    `- setup: ${process.env.DATABASE_URL ? 'PostgreSQL server (DATABASE_URL), LISTEN/NOTIFY bus' : 'embedded PGlite (in this process), in-process bus'}; ${USERS} users × ${STREAMS_PER_USER} streams (one session each), clients in a child process; ${ROUNDS} rounds of one notification per user`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| streams held | ${figures.streams} (${figures.failed} failed) | 5000 |`,
    `| RSS growth holding them | ${figures.growthMb.toFixed(1)} MB (${figures.perStreamKb.toFixed(1)} KB/stream; baseline ${figures.baselineMb.toFixed(0)} MB) | < 100 MB |`,
    `| of which JS heap / external buffers | ${figures.heapGrowthMb.toFixed(1)} MB / ${figures.externalGrowthMb.toFixed(1)} MB | |`,
    `| RSS growth after the rounds | ${figures.growthAfterRoundsMb.toFixed(1)} MB | |`,
    `| events delivered | ${figures.delivered} / ${figures.expected} | all |`,
    `| publish → delivery p50 / p99 / max | ${figures.p50.toFixed(1)} / ${figures.p99.toFixed(1)} / ${figures.max.toFixed(1)} ms | p99 < 200 ms |`,
    '',
  ].join('\n');
  appendResults(entry);
}

clearTimeout(hardStop);
server.closeAllConnections();
await new Promise<void>((resolve) => server.close(() => resolve()));
await container.stop();
await harness.cleanUp();
process.exit(pass ? 0 : 1);
