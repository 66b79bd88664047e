/**
 * The one harness every bench uses: child processes (`node --import tsx <script>` in their
 * own process group, so the pid IS the script and its RSS is exactly the server's; stopped by
 * pid, SIGTERM then SIGKILL, never by name), waiting for a printed line or /healthz, free
 * ports, a temp folder removed at the end, autocannon with a warm-up, and the record every
 * results section starts with (machine, load average, commit).
 *
 *   const h = createHarness('classcast-bench-pages-');
 *   try { const app = h.start('app', 'scripts/start.ts', [], env); await h.waitForHealthy(app, origin); … }
 *   finally { await h.cleanUp(); }
 */
import autocannon from 'autocannon';
import { execSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  exited: Promise<unknown>;
}

export interface StartOptions {
  /** Flags for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: string[];
  /** 'pipe' (default: read with waitForLine, or drained) or 'inherit'. */
  stdout?: 'pipe' | 'inherit';
  /** Open an IPC channel (child.proc.send / 'message'). */
  ipc?: boolean;
}

export interface Harness {
  /** This run's temp folder, removed by cleanUp. */
  root: string;
  dir(name: string): string;
  start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, opts?: StartOptions): Child;
  waitForLine(child: Child, re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  waitForHealthy(child: Child, origin: string, timeoutMs?: number): Promise<void>;
  stop(child: Child): Promise<void>;
  cleanUp(): Promise<void>;
}

export async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(child: Child, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const hasExited = (child: Child) => child.proc.exitCode !== null || child.proc.signalCode !== null;

export function createHarness(prefix: string): Harness {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const children = new Set<Child>();

  async function stop(child: Child) {
    children.delete(child);
    if (hasExited(child)) return;
    signalGroup(child, 'SIGTERM');
    try {
      await withTimeout(child.exited, 15_000, `${child.name} did not stop`);
    } catch {
      signalGroup(child, 'SIGKILL');
      await withTimeout(child.exited, 5_000, `${child.name} did not die`).catch(() => {});
    }
  }

  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      // Last started first: an app stops before the stand-ins it talks to.
      for (const child of [...children].reverse()) await stop(child);
      rmSync(root, { recursive: true, force: true });
    })());

  process.on('exit', () => {
    for (const child of children) signalGroup(child, 'SIGKILL'); // only if cleanUp never ran
    rmSync(root, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  return {
    root,
    dir(name) {
      const dir = path.join(root, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    start(name, script, args, env, opts = {}) {
      const stdio: StdioOptions = ['ignore', opts.stdout ?? 'pipe', 'inherit', ...(opts.ipc ? ['ipc' as const] : [])];
      const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script, ...args], {
        env,
        stdio,
        detached: true, // its own process group: stopped as a whole, never by name
      });
      if (!proc.pid) throw new Error(`could not start ${name}`);
      const child: Child = { name, proc, pid: proc.pid, exited: once(proc, 'exit') };
      children.add(child);
      return child;
    },
    async waitForLine(child, re, timeoutMs) {
      const lines = createInterface({ input: child.proc.stdout! });
      const found = new Promise<RegExpExecArray>((resolve) => {
        lines.on('line', (line) => {
          const m = re.exec(line);
          if (m) resolve(m);
        });
      });
      const failed = child.exited.then(() => {
        throw new Error(`${child.name} exited during start-up`);
      });
      return withTimeout(Promise.race([found, failed]), timeoutMs, `${child.name} did not print ${re}`);
    },
    async waitForHealthy(child, origin, timeoutMs = 180_000) {
      child.proc.stdout?.resume(); // the banner is not needed; an undrained pipe would block the child
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (hasExited(child)) throw new Error(`${child.name} exited during start-up`);
        const ok = await fetch(`${origin}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await sleep(250);
      }
      throw new Error(`${child.name} did not answer ${origin}/healthz within ${timeoutMs} ms`);
    },
    stop,
    cleanUp,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of one process in MB, from /proc (null once it is gone). */
export function rssMb(pid: number): number | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** The direct children of a process (e.g. a cluster primary's workers), from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Requests sent during the measured window (the divisor of calls per request). */
  sent: number;
  /** Non-2xx answers, errors and timeouts: any makes the figure invalid. */
  bad: number;
}

export interface LoadOptions {
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  /** Warm-up run first (JIT, pools, caches in steady state). Default 2 s. */
  warmUpS?: number;
  /** Pause after the warm-up so its last requests are not counted. Default 500 ms. */
  drainMs?: number;
  /** Called between the drained warm-up and the measured run (e.g. read a counter). */
  beforeMeasure?: () => Promise<void>;
}

export async function loadTest(url: string, opts: LoadOptions): Promise<Load> {
  const { connections, durationS, headers = {} } = opts;
  if ((opts.warmUpS ?? 2) > 0) await autocannon({ url, connections, duration: opts.warmUpS ?? 2, headers });
  await sleep(opts.drainMs ?? 500);
  await opts.beforeMeasure?.();
  const r = await autocannon({ url, connections, duration: durationS, headers });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    sent: r.requests.sent,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

// ---------------------------------------------------------------------------------------------
// The record

function git(args: string): string {
  try {
    return execSync(`git ${args}`, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '?';
  }
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export function commitDescription(): string {
  return `${git('rev-parse --short HEAD')} (${git('rev-parse --abbrev-ref HEAD')})${git('status --porcelain') ? ' + uncommitted changes' : ''}`;
}

export const RESULTS_FILE = path.resolve('bench/RESULTS.md');
const RESULTS_HEADER = `# ClassCast bench results

Each run appends a section below; compare ratios, not absolute figures, across machines.
`;

export function appendResults(markdown: string) {
  if (!existsSync(RESULTS_FILE)) writeFileSync(RESULTS_FILE, RESULTS_HEADER);
  appendFileSync(RESULTS_FILE, `\n${markdown.trimEnd()}\n`);
  console.error(`appended to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}
