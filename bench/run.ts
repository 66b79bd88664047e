/**
 * `npm run bench`: the production server on the embedded default with demo data, loaded
 * from a second process over loopback with autocannon. Each page is measured against a
 * bare baseline route (/healthz, a constant) in the same run, so the ratio means something
 * on any machine. Bounded: fixed duration per target, then everything stops.
 *
 *   npm run bench [-- --duration 10 --connections 20]
 */
import autocannon from 'autocannon';
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    port: { type: 'string', default: '3290' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const port = Number(values.port);
const origin = `http://127.0.0.1:${port}`;

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('login set no cookie');
  return cookie;
}

interface Figures {
  name: string;
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  rssMb: number;
}

async function measure(name: string, urlPath: string, headers: Record<string, string>, pid: number): Promise<Figures> {
  // A short warm-up so JIT and connection pools are in steady state.
  await autocannon({ url: origin + urlPath, connections, duration: 2, headers });
  const result = await autocannon({ url: origin + urlPath, connections, duration, headers });
  return {
    name,
    path: urlPath,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    rssMb: rssOf(pid),
  };
}

/** RSS of the server: the largest process in the group we started (npx → tsx → node). */
function rssOf(processGroup: number): number {
  const pids = execSync(`ps -o pid= -g ${processGroup}`).toString().trim().split(/\s+/).map(Number);
  let maxKb = 0;
  for (const pid of pids) {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      maxKb = Math.max(maxKb, kb);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(maxKb / 1024);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'classcast-bench-'));
const server = spawn('npx', ['tsx', 'scripts/start.ts'], {
  env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'true', LOGIN_RATE_LIMIT: '1000' },
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('exit', stop);

try {
  await waitFor(`${origin}/healthz`, 180_000);
  const logins = JSON.parse(readFileSync(path.join(dataDir, 'demo-logins.postgres.json'), 'utf8')) as Array<{
    role: string;
    email: string;
    password: string;
  }>;
  const instructor = logins.find((l) => l.role === 'instructor')!;
  const cookie = await login(instructor.email, instructor.password);
  const serverPid = server.pid!;

  const baseline = await measure('baseline /healthz', '/healthz', {}, serverPid);
  const dashboard = await measure('instructor dashboard', '/dashboard', { cookie }, serverPid);
  const coursesApi = await measure('GET /api/courses', '/api/courses', { cookie }, serverPid);

  const rows = [baseline, dashboard, coursesApi];
  const when = new Date().toISOString();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`\nClassCast bench — ${when}\n${machine}\n${connections} connections, ${duration} s per target, embedded Postgres\n`);
  console.log('| target | req/s | p50 ms | p99 ms | non-2xx | server RSS MB | req/s vs baseline |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = (r.reqPerSec / baseline.reqPerSec).toFixed(3);
    console.log(`| ${r.name} (${r.path}) | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.rssMb} | ${ratio} |`);
  }
  if (rows.some((r) => r.non2xx > 0)) {
    console.error('\nSome responses were not 2xx: the figures above are not valid.');
    process.exitCode = 1;
  }
} finally {
  stop();
  rmSync(dataDir, { recursive: true, force: true });
}
