/**
 * `npm run bench` (issue 12): every daily page and JSON list against the bare SSR page
 * (/login) and /healthz, in ONE run, on the embedded PGlite default, on a PostgreSQL server
 * (DATABASE_URL's server, else a throw-away cluster; skipped when neither exists) and, for the
 * feed and the JSON lists, on the DynamoDB stand-in. Then the PostgreSQL server again with
 * WEB_CONCURRENCY=2 for /login and two pages, and a CPU profile of the slowest page.
 *
 * Per backend: the production server (scripts/start.ts, demo seed, METRICS_TOKEN set) with
 * the S3 stand-in in its own process; content added through the API (bench/pages-scene.ts);
 * then each target at N connections for D s after a 1 s warm-up, one after another, reading
 * classcast_db_calls_total from /metrics before and after to get database calls per request.
 * Figures go to the terminal, bench/last-run.json (for `npm run bench:check`) and
 * bench/RESULTS.md.
 *
 *   npm run bench [-- --duration 8 --connections 20 --backends pglite,postgres,dynamodb
 *                     --no-cluster --no-profile --metrics-overhead --no-results]
 *
 * Bounded: fixed durations, time limits on start-up and shutdown; every child runs in its own
 * process group and is stopped by pid; the throw-away cluster and temp folders are removed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summariseProfile, type CpuProfile } from './cpu-profile';
import {
  appendResults,
  childPids,
  commitDescription,
  createHarness,
  freePort,
  loadAverage,
  loadTest,
  machineDescription,
  rssMb,
  sleep,
  type Child,
} from './harness';
import { buildScene, type Scene, type Target } from './pages-scene';
import {
  LAST_RUN_FILE,
  allMisses,
  renderRun,
  type BenchRun,
  type ClusterRun,
  type MetricsOverhead,
  type ProfileRun,
} from './pages-report';
import { startBenchPostgres, type PostgresServer } from './postgres-server';
import { ratioOf, type BackendName, type BackendRun, type MeasuredTarget } from './targets';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '20' },
    backends: { type: 'string', default: 'pglite,postgres,dynamodb' },
    'no-cluster': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    /** Also compare fresh PGlite servers with and without METRICS_TOKEN (what counting costs). */
    'metrics-overhead': { type: 'boolean', default: false },
    'no-results': { type: 'boolean', default: false },
  },
});
const durationS = Number(values.duration);
const connections = Number(values.connections);
const backends = values.backends.split(',') as BackendName[];
if (!(durationS >= 1) || !(connections >= 1)) throw new Error('--duration and --connections must be ≥ 1');
for (const b of backends) {
  if (!['pglite', 'postgres', 'dynamodb'].includes(b)) throw new Error(`--backends: unknown backend ${b}`);
}
const WARM_UP_S = 1;
const METRICS_TOKEN = randomBytes(24).toString('hex');
/** The two pages next to /login in the WEB_CONCURRENCY=2 run. */
const CLUSTER_PAGES = ['dashboard (student)', 'course page (student)'];

// ---------------------------------------------------------------------------------------------
// The production build, rebuilt when app/ changed since

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const built = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
  if (built > newestMtime('app')) return;
  console.error(built ? 'app/ changed since the last build: remix build…' : 'no production build: remix build…');
  const result = spawnSync('npx', ['remix', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('remix build failed');
}

// ---------------------------------------------------------------------------------------------
// Servers

const harness = createHarness('classcast-bench-pages-');

interface AppServer {
  child: Child;
  origin: string;
  backend: BackendName;
}

interface BackendSetup {
  dataDir: string;
  s3Endpoint: string;
  databaseUrl?: string;
  dynamoEndpoint?: string;
}

async function startApp(
  backend: BackendName,
  setup: BackendSetup,
  opts: { metrics?: boolean; webConcurrency?: number; nodeArgs?: string[] } = {},
): Promise<AppServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: setup.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'true',
    LOGIN_RATE_LIMIT: '100000',
    S3_ENDPOINT: setup.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_BUCKET: `classcast-bench-${backend}`,
    S3_LOCAL: 'false',
    DATA_BACKEND: backend === 'dynamodb' ? 'dynamodb' : 'postgres',
  };
  // The environment's own DATABASE_URL or WEB_CONCURRENCY must not leak into another backend.
  delete env.DATABASE_URL;
  delete env.WEB_CONCURRENCY;
  delete env.METRICS_TOKEN;
  if (opts.metrics !== false) env.METRICS_TOKEN = METRICS_TOKEN;
  if (setup.databaseUrl) env.DATABASE_URL = setup.databaseUrl;
  if (setup.dynamoEndpoint) {
    env.DYNAMODB_ENDPOINT = setup.dynamoEndpoint;
    env.DYNAMODB_TABLE_PREFIX = 'classcast-bench-';
  }
  if (opts.webConcurrency) env.WEB_CONCURRENCY = String(opts.webConcurrency);
  const child = harness.start(`app server (${backend})`, 'scripts/start.ts', [], env, { nodeArgs: opts.nodeArgs });
  await harness.waitForHealthy(child, origin);
  return { child, origin, backend };
}

/** The server's RSS: the process and, under WEB_CONCURRENCY, its workers. */
const serverRss = (pid: number) =>
  [pid, ...childPids(pid)].reduce<number | null>((sum, p) => {
    const r = rssMb(p);
    return r === null ? sum : (sum ?? 0) + r;
  }, null);

/** Total database calls the server counted so far (every backend label), from /metrics. */
async function dbCallsSoFar(server: AppServer): Promise<number | null> {
  const res = await fetch(`${server.origin}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } }).catch(
    () => null,
  );
  if (!res?.ok) return null;
  const text = await res.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('classcast_db_calls_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/**
 * Waits (at most 30 s) until the server's database counter stops moving for a second: the
 * jobs the scene's writes started (notifications, deliveries) would otherwise be counted
 * against the first targets.
 */
async function quiesce(server: AppServer): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = await dbCallsSoFar(server);
  let still = 0;
  while (last !== null && still < 2 && Date.now() < deadline) {
    await sleep(500);
    const now = await dbCallsSoFar(server);
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

async function measureTarget(
  server: AppServer,
  target: Target,
  scene: Scene,
  opts: { countCalls: boolean; onWindow?: (fromMicros: number, toMicros: number) => void },
): Promise<MeasuredTarget> {
  let before: number | null = null;
  let from = 0;
  const load = await loadTest(server.origin + target.path, {
    connections,
    durationS,
    warmUpS: WARM_UP_S,
    drainMs: 300,
    headers: target.cookie ? { cookie: target.cookie } : {},
    beforeMeasure: async () => {
      if (opts.countCalls) before = await dbCallsSoFar(server);
      from = Number(process.hrtime.bigint() / 1000n);
    },
  });
  opts.onWindow?.(from, Number(process.hrtime.bigint() / 1000n));
  // Answers still in flight when autocannon stopped finish before the counter is read.
  await sleep(300);
  const after = opts.countCalls ? await dbCallsSoFar(server) : null;
  const row: MeasuredTarget = {
    label: target.label,
    path: scene.shortPath(target.path),
    kind: target.kind,
    reqPerSec: load.reqPerSec,
    p50: load.p50,
    p99: load.p99,
    dbCallsPerRequest: before !== null && after !== null && load.sent > 0 ? (after - before) / load.sent : null,
    rssMb: serverRss(server.child.pid),
    bad: load.bad,
  };
  console.error(
    `  ${row.label.padEnd(44)} ${String(row.reqPerSec).padStart(5)} req/s  p99 ${String(row.p99).padStart(4)} ms  ` +
      `${row.dbCallsPerRequest === null ? '' : `${row.dbCallsPerRequest.toFixed(1)} calls/req  `}${row.rssMb} MB${row.bad ? `  ${row.bad} BAD` : ''}`,
  );
  return row;
}

// ---------------------------------------------------------------------------------------------
// The parts of a run

interface MeasuredBackend {
  run: BackendRun;
  setup: BackendSetup;
  scene: Scene;
}

async function benchBackend(backend: BackendName, setup: BackendSetup, description: string): Promise<MeasuredBackend> {
  console.error(`\n${backend}: starting the server (${description})`);
  const server = await startApp(backend, setup);
  try {
    const scene = await buildScene(server.origin, setup.dataDir, backend);
    await quiesce(server);
    const targets = scene.targets.filter((t) => backend !== 'dynamodb' || t.onDynamo);
    const rows: MeasuredTarget[] = [];
    for (const target of targets) rows.push(await measureTarget(server, target, scene, { countCalls: true }));
    const run: BackendRun = { backend, description, rows, rssAfterMb: serverRss(server.child.pid) };
    return { run, setup, scene };
  } finally {
    await harness.stop(server.child);
  }
}

async function benchCluster(postgres: MeasuredBackend): Promise<ClusterRun> {
  console.error('\npostgres: WEB_CONCURRENCY=2');
  const server = await startApp('postgres', postgres.setup, { webConcurrency: 2 });
  try {
    await sleep(2000); // workers fork after the primary is up
    const workers = childPids(server.child.pid).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
      } catch {
        return false;
      }
    });
    if (workers.length < 2) {
      return {
        unavailable: `the server did not fork (${workers.length} worker processes): WEB_CONCURRENCY is not implemented on this commit`,
        processes: 1,
        rssMb: null,
        rows: [],
      };
    }
    const wanted = ['bare SSR page', ...CLUSTER_PAGES];
    const oneLogin = postgres.run.rows.find((r) => r.kind === 'bare');
    const measured: ClusterRun['rows'] = [];
    let twoLogin: MeasuredTarget | undefined;
    for (const label of wanted) {
      const target = postgres.scene.targets.find((t) => t.label === label);
      if (!target) continue;
      // Counters live per worker, so calls per request are not read here.
      const row = await measureTarget(server, target, postgres.scene, { countCalls: false });
      if (target.kind === 'bare') twoLogin = row;
      const one = postgres.run.rows.find((r) => r.label === label);
      measured.push({
        label,
        path: row.path,
        oneProcess: one ? { reqPerSec: one.reqPerSec, ratio: ratioOf(one, oneLogin) } : null,
        twoProcesses: { reqPerSec: row.reqPerSec, ratio: ratioOf(row, twoLogin), p99: row.p99, bad: row.bad },
      });
    }
    return { processes: workers.length, rssMb: serverRss(server.child.pid), rows: measured };
  } finally {
    await harness.stop(server.child);
  }
}

async function benchMetricsOverhead(pglite: MeasuredBackend): Promise<MetricsOverhead> {
  const pick = (label: string) => pglite.scene.targets.find((t) => t.label === label)!;
  const rounds: MetricsOverhead['rounds'] = [];
  // Alternating, each on a fresh server measured in the same order, so warm-up and drift
  // weigh on both sides alike.
  for (const metrics of [true, false, true, false]) {
    console.error(`\npglite: METRICS_TOKEN ${metrics ? 'set' : 'unset'} (what counting costs)`);
    const server = await startApp('pglite', pglite.setup, { metrics });
    try {
      const login = await measureTarget(server, pick('bare SSR page'), pglite.scene, { countCalls: false });
      const dashboard = await measureTarget(server, pick('dashboard (instructor)'), pglite.scene, {
        countCalls: false,
      });
      rounds.push({ metrics, login: login.reqPerSec, dashboard: dashboard.reqPerSec });
    } finally {
      await harness.stop(server.child);
    }
  }
  return { rounds };
}

async function profileSlowestPage(measured: MeasuredBackend[]): Promise<ProfileRun | null> {
  const source = measured.find((m) => m.run.backend === 'pglite') ?? measured.find((m) => m.run.backend === 'postgres');
  const slowest = source?.run.rows.filter((r) => r.kind === 'page').sort((a, b) => a.reqPerSec - b.reqPerSec)[0];
  if (!source || !slowest) return null;
  const target = source.scene.targets.find((t) => t.label === slowest.label)!;
  console.error(`\n${source.run.backend}: CPU profile of ${slowest.label}`);
  const profileDir = harness.dir(`cpu-profile-${source.run.backend}`);
  const server = await startApp(source.run.backend, source.setup, {
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir],
  });
  let window = { fromMicros: 0, toMicros: 0 };
  try {
    await measureTarget(server, target, source.scene, {
      countCalls: false,
      onWindow: (fromMicros, toMicros) => (window = { fromMicros, toMicros }),
    });
  } finally {
    await harness.stop(server.child); // SIGTERM: the server exits and node writes the profile
  }
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('the profiled server wrote no .cpuprofile (did it exit on SIGTERM?)');
  const profile = JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile;
  // V8 stamps samples with the system's monotonic clock, as process.hrtime here does; if the
  // two ever disagree, the last D seconds before the profile's end are the next best thing.
  const inside = window.fromMicros >= profile.startTime && window.toMicros <= profile.endTime + 1_000_000;
  const windowNote = inside
    ? 'samples between the start and end of the measured run'
    : `the clocks disagreed: the last ${durationS} s before shutdown`;
  if (!inside) {
    window = { fromMicros: profile.endTime - durationS * 1_000_000, toMicros: profile.endTime };
  }
  return {
    backend: source.run.backend,
    label: slowest.label,
    path: slowest.path,
    windowSeconds: durationS,
    windowNote,
    summary: summariseProfile(profile, { repoRoot: process.cwd(), window }),
  };
}

// ---------------------------------------------------------------------------------------------

let postgresServer: PostgresServer | null = null;
try {
  ensureBuild();
  const loadAtStart = loadAverage();
  const at = new Date().toISOString();

  const s3 = harness.start(
    'S3 stand-in',
    'scripts/s3-local.ts',
    ['--port', '0', '--dir', harness.dir('s3')],
    process.env,
  );
  const [, s3Endpoint] = await harness.waitForLine(s3, /listening on (http:\/\/\S+)/, 60_000);

  const measured: MeasuredBackend[] = [];
  const runs: BackendRun[] = [];
  let cluster: ClusterRun | null = null;
  let metricsOverhead: MetricsOverhead | null = null;
  for (const backend of backends) {
    const dataDir = harness.dir(backend);
    if (backend === 'pglite') {
      const m = await benchBackend(backend, { dataDir, s3Endpoint }, 'embedded PGlite in the server process');
      measured.push(m);
      runs.push(m.run);
      if (values['metrics-overhead']) metricsOverhead = await benchMetricsOverhead(m);
    } else if (backend === 'postgres') {
      postgresServer = await startBenchPostgres(process.env.DATABASE_URL);
      if (!postgresServer) {
        const skipped = 'no DATABASE_URL and no PostgreSQL installation (/usr/lib/postgresql/*/bin/initdb) found';
        console.error(`\npostgres: skipped: ${skipped}`);
        runs.push({ backend, description: 'PostgreSQL server', skipped, rows: [], rssAfterMb: null });
        continue;
      }
      const m = await benchBackend(
        backend,
        { dataDir, s3Endpoint, databaseUrl: postgresServer.url },
        postgresServer.description,
      );
      measured.push(m);
      runs.push(m.run);
      if (!values['no-cluster']) cluster = await benchCluster(m);
    } else {
      const dynamo = harness.start('DynamoDB stand-in', 'scripts/dynamodb-local.ts', ['--port', '0'], process.env);
      const [, dynamoEndpoint] = await harness.waitForLine(dynamo, /at (http:\/\/\S+)/, 60_000);
      const m = await benchBackend(
        backend,
        { dataDir, s3Endpoint, dynamoEndpoint },
        `DynamoDB stand-in at ${dynamoEndpoint}`,
      );
      runs.push(m.run);
      await harness.stop(dynamo);
    }
  }
  const profile = values['no-profile'] ? null : await profileSlowestPage(measured);

  const run: BenchRun = {
    at,
    machine: machineDescription(),
    loadAtStart,
    loadAtEnd: loadAverage(),
    commit: commitDescription(),
    connections,
    durationS,
    backends: runs,
    cluster,
    profile,
    metricsOverhead,
  };
  const markdown = renderRun(run);
  console.log(`\n${markdown}\n`);
  writeFileSync(LAST_RUN_FILE, JSON.stringify(run, null, 2));
  if (!values['no-results']) appendResults(markdown);
  // Invalid figures (non-2xx answers) fail the run; missed targets are bench:check's verdict.
  if (allMisses(run).some((m) => m.kind === 'invalid')) process.exitCode = 1;
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
} finally {
  await harness.cleanUp();
  await postgresServer?.stop();
}
