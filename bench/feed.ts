/**
 * `npm run bench:feed`: the student feed under load (issue 10, item 11), on the embedded
 * default (PGlite) and on the DynamoDB stand-in, at several data scales.
 *
 * Per backend and scale: seed through the repositories (bench/feed-seed.ts) from this process,
 * count the database calls of one feed page (and the next) with an instrumented client on
 * that same data, start the production server on it, then measure at N connections, in the
 * same run, the bare SSR page (/login), /healthz, the /feed page and GET /api/student/feed.
 * Scales grow in place: after 1× the next units are added to the same courses.
 *
 *   npm run bench:feed [-- --scales 1,3 --duration 10 --connections 20 --backends postgres,dynamodb --no-results]
 *
 * Bounded: fixed duration per target, time limits on start-up and shutdown; every child is
 * started in its own process group and stopped by its pid; the temp folder is removed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '~/auth/password.server';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import { createAccountMailLimiter } from '~/auth/account-mail-limiter.server';
import { createDynamoRepositories, ensureTables } from '~/data/dynamo/index';
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres } from '~/data/prisma/embedded.server';
import { createPrismaRepositories } from '~/data/prisma/index';
import { migrateDeploy } from '~/data/prisma/migrate.server';
import type { Repositories } from '~/data/repository';
import type { ServiceContext } from '~/services/context';
import { getStudentFeed } from '~/services/feed.server';
import { createS3Storage } from '~/storage/s3.server';
import { addUnit, startSchool, unitOf, type BenchSchool } from './feed-seed';
import {
  appendResults,
  commitDescription,
  createHarness,
  freePort,
  loadAverage,
  loadTest,
  machineDescription,
} from './harness';
import { createMemoryBus } from '../app/realtime/memory-bus';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    backends: { type: 'string', default: 'postgres,dynamodb' },
    'no-results': { type: 'boolean', default: false },
    /** Size of a unit of data; below 1 only to try the harness quickly (never for RESULTS.md). */
    fraction: { type: 'string', default: '1' },
  },
});
const scales = values.scales.split(',').map(Number);
if (scales.some((s, i) => !Number.isInteger(s) || s < 1 || (i > 0 && s <= scales[i - 1]))) {
  throw new Error('--scales must be increasing whole numbers, e.g. 1,3 or 1,10');
}
const duration = Number(values.duration);
const fraction = Number(values.fraction);
const unit = unitOf(fraction);
if (!(fraction > 0 && fraction <= 1)) throw new Error('--fraction must be in (0, 1]');
if (fraction < 1) values['no-results'] = true;
const connections = Number(values.connections);
const backends = values.backends.split(',') as Array<'postgres' | 'dynamodb'>;
const TABLE_PREFIX = 'classcast-bench-';
const PASSWORD = 'bench-password-42';
const harness = createHarness('classcast-bench-feed-');

// ---------------------------------------------------------------------------------------------
// Data stores, opened from this process for seeding and call counting

interface Store {
  repos: Repositories;
  /** Calls sent so far by name: DynamoDB command names, or "SQL" for every Prisma statement. */
  calls: Record<string, number>;
  close: () => Promise<void>;
}

const count = (calls: Record<string, number>, name: string) => (calls[name] = (calls[name] ?? 0) + 1);
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

const clock = () => new Date();

async function openPostgres(dataDir: string): Promise<Store> {
  const pgDir = path.join(dataDir, 'pg');
  mkdirSync(pgDir, { recursive: true });
  const server = await startEmbeddedPostgres({ dataDir: pgDir });
  await migrateDeploy(server.url);
  const calls: Record<string, number> = {};
  const repos = await createPrismaRepositories({
    databaseUrl: server.url,
    poolMax: EMBEDDED_POOL_MAX,
    onQuery: () => count(calls, 'SQL'),
    now: clock,
  });
  return {
    repos,
    calls,
    close: async () => {
      await repos.close();
      await server.stop();
    },
  };
}

async function openDynamo(endpoint: string): Promise<Store> {
  const opts = {
    endpoint,
    region: 'us-east-1',
    tablePrefix: TABLE_PREFIX,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  await ensureTables(opts);
  const calls: Record<string, number> = {};
  const repos = createDynamoRepositories({ ...opts, now: clock, onCommand: (name) => count(calls, name) });
  return { repos, calls, close: () => repos.close() };
}

function serviceContext(repos: Repositories): ServiceContext {
  return {
    repos,
    loginLimiter: createLoginLimiter({ perIpPerMinute: 1000 }),
    accountMailLimiter: createAccountMailLimiter(),
    bus: createMemoryBus(),
    // The feed never touches storage: a closed loopback port proves it.
    storage: createS3Storage({
      region: 'us-east-1',
      bucket: 'none',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
    settings: { uploadMaxBytes: 1024, appUrl: 'http://127.0.0.1' },
    now: clock,
  };
}

/**
 * Database calls of the first feed page and of the one after it, on the seeded data, with
 * the calls of both pages by name.
 */
async function callsPerPage(store: Store, school: BenchSchool) {
  const ctx = serviceContext(store.repos);
  await getStudentFeed(ctx, school.benchStudent, {}); // warm: prepared statements, connections
  const start = { ...store.calls };
  const first = await getStudentFeed(ctx, school.benchStudent, {});
  const afterFirst = total(store.calls);
  await getStudentFeed(ctx, school.benchStudent, { cursor: first.nextCursor });
  const afterNext = total(store.calls);
  const byName = Object.entries(store.calls)
    .map(([name, n]) => [name, n - (start[name] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name.replace(/Command$/, '')} ${n}`)
    .join(', ');
  // In-process service time of a first page: median of five, after the counted runs.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await getStudentFeed(ctx, school.benchStudent, {});
    times.push(performance.now() - t);
  }
  return {
    serviceMs: times.sort((a, b) => a - b)[2],
    first: afterFirst - total(start),
    next: afterNext - afterFirst,
    byName,
    items: first.feed.length,
  };
}

// ---------------------------------------------------------------------------------------------
// The app server and the load

async function startApp(backend: 'postgres' | 'dynamodb', dataDir: string, dynamoEndpoint: string | null) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const app = harness.start(`app server (${backend})`, 'scripts/start.ts', [], {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    LOGIN_RATE_LIMIT: '100000',
    S3_LOCAL: 'true',
    DATA_BACKEND: backend,
    ...(dynamoEndpoint ? { DYNAMODB_ENDPOINT: dynamoEndpoint, DYNAMODB_TABLE_PREFIX: TABLE_PREFIX } : {}),
  });
  await harness.waitForHealthy(app, origin);
  return { app, origin };
}

async function login(origin: string, email: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('login set no cookie');
  return cookie;
}

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  bad: number;
}

async function measure(origin: string, name: string, urlPath: string, headers: Record<string, string>): Promise<Row> {
  // The warm-up's last requests drain for 2 s so they are not counted against the measured run.
  const r = await loadTest(origin + urlPath, { connections, durationS: duration, headers, drainMs: 2000 });
  return { name, reqPerSec: r.reqPerSec, p50: r.p50, p99: r.p99, bad: r.bad };
}

// ---------------------------------------------------------------------------------------------

const report: string[] = [];
let failed = false;
try {
  const load0 = loadAverage();
  const passwordHash = await hashPassword(PASSWORD);
  for (const backend of backends) {
    const dataDir = harness.dir(backend);
    const dynamo =
      backend === 'dynamodb'
        ? harness.start('DynamoDB stand-in', 'scripts/dynamodb-local.ts', ['--port', '0'], process.env)
        : null;
    const endpoint = dynamo ? (await harness.waitForLine(dynamo, /at (http:\/\/\S+)/, 60_000))[1] : null;
    let school: BenchSchool | null = null;
    for (const scale of scales) {
      const store = endpoint ? await openDynamo(endpoint) : await openPostgres(dataDir);
      const t0 = performance.now();
      school ??= await startSchool(store.repos, passwordHash, PASSWORD);
      while (school.units < scale) {
        await addUnit(store.repos, school, passwordHash, unit);
        console.error(`${backend}: ${school.units}× seeded (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
      const seedSeconds = (performance.now() - t0) / 1000;
      const pageCalls = await callsPerPage(store, school);
      // PGlite is one process's database: the server opens it after we let go.
      if (!endpoint) await store.close();

      const { app, origin } = await startApp(backend, dataDir, endpoint);
      const cookie = await login(origin, school.benchStudent.email);
      const check = (await (await fetch(`${origin}/api/student/feed`, { headers: { cookie } })).json()) as {
        feed: unknown[];
        nextCursor: string | null;
      };
      if (check.feed.length !== 20 || !check.nextCursor) throw new Error(`incomplete feed: ${check.feed.length} items`);
      const login0 = await measure(origin, 'bare SSR page', '/login', {});
      const rows = [
        login0,
        await measure(origin, 'healthz', '/healthz', {}),
        await measure(origin, '/feed page', '/feed', { cookie }),
        await measure(origin, 'GET /api/student/feed', '/api/student/feed', { cookie }),
      ];
      await harness.stop(app);
      if (endpoint) await store.close();
      failed ||= rows.some((r) => r.bad > 0);

      const lines = [
        `### ${backend === 'postgres' ? 'embedded PGlite' : 'DynamoDB stand-in'}, ${scale}× (${scale * unit.videos} videos, ~${scale * unit.interactions} likes and comments, ${scale * unit.posts} posts, ${scale * unit.students + 1} students, 10 courses)`,
        '',
        `- seeded in ${seedSeconds.toFixed(0)} s; DB calls per feed page: first ${pageCalls.first}, next ${pageCalls.next} (${pageCalls.byName} for the two pages), ${pageCalls.items} items; in-process service time of a page ${pageCalls.serviceMs.toFixed(1)} ms (median of 5)`,
        '',
        '| target | req/s | p50 ms | p99 ms | non-2xx/errors | req/s vs /login |',
        '|---|---|---|---|---|---|',
        ...rows.map(
          (r) =>
            `| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.bad} | ${(r.reqPerSec / login0.reqPerSec).toFixed(2)} |`,
        ),
        '',
      ];
      console.log(lines.join('\n'));
      report.push(...lines);
    }
    if (dynamo) await harness.stop(dynamo);
  }

  const header = [
    `## Feed bench ${new Date().toISOString()}`,
    '',
    `- machine: ${machineDescription()}; load average at start ${load0}, at end ${loadAverage()}`,
    `- commit: ${commitDescription()}`,
    `- ${connections} connections, ${duration} s per target after a 2 s warm-up; the bench student takes 2 of the 10 courses`,
    '',
  ];
  if (!values['no-results']) {
    appendResults(
      `${[...header, ...report].join('\n')}${failed ? '\n**Not valid: some responses were not 2xx.**\n' : ''}`,
    );
  }
  if (failed) process.exitCode = 1;
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
} finally {
  await harness.cleanUp();
}
