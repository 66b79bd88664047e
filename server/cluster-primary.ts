/**
 * The cluster primary (WEB_CONCURRENCY > 1 on a server database; docs/decisions/018): it
 * prepares the shared data once, forks the workers that share the port, replaces a worker that
 * dies (at a bounded rate), replaces them one by one on SIGHUP (a rolling restart: each new
 * worker serves before an old one is asked to finish), and stops them all on SIGTERM/SIGINT.
 * It serves no request itself.
 */
import cluster, { type Worker } from 'node:cluster';
import net from 'node:net';
import { AggregatorRegistry } from 'prom-client';
import type { ServerEntry } from '~/entry.server';
import { CLUSTER_METRICS_ANSWER, CLUSTER_METRICS_REQUEST } from '../app/utils/cluster-metrics';

/** More replacements than this within RESTART_WINDOW_MS is a crash loop: the primary gives up. */
const RESTARTS_PER_WINDOW = (workers: number) => Math.max(3, workers * 2);
const RESTART_WINDOW_MS = 60_000;
/** A short pause before a replacement, so a Ctrl-C that reached a worker first is not undone. */
const RESTART_DELAY_MS = 250;
/** On top of the workers' own SHUTDOWN_GRACE_MS, before the primary kills what is left. */
const STOP_MARGIN_MS = 2_000;

/** What a worker sends its primary once its container is connected and it serves requests. */
export const WORKER_READY = 'classcast:worker-ready';

export interface PrimaryHooks {
  /** Once every first-generation worker listens: the start-up banner. */
  onReady(shared: { description: string; demoLogins: Array<{ role: string; email: string; password: string }> }): void;
}

export async function runPrimary(entry: ServerEntry, workerCount: number, hooks: PrimaryHooks): Promise<void> {
  const cfg = entry.config();
  // Every worker must bind the same port, and the S3 stand-in's CORS rule names the app's origin.
  const port = cfg.PORT === 0 ? await freePort(cfg.HOST) : cfg.PORT;
  const shared = await entry.prepareSharedData(port);
  const workerEnv = { ...shared.workerSettings, PORT: String(port) };

  const restarts: number[] = [];
  /** Workers a rolling restart asked to finish: their exit is planned, not a crash to replace. */
  const retiring = new Set<number>();
  let rolling = false;
  const stopGraceMs = cfg.SHUTDOWN_GRACE_MS + STOP_MARGIN_MS;
  let stopping = false;
  const fork = () => cluster.fork(workerEnv);

  const stop = async (reason: string, exitCode: number) => {
    if (stopping) {
      if (exitCode === 0 && reason.startsWith('SIG')) {
        console.error(`${reason} again: killing the workers now`);
        for (const w of Object.values(cluster.workers ?? {})) if (w && !w.isDead()) w.process.kill('SIGKILL');
        process.exit(1);
      }
      return;
    }
    stopping = true;
    console.log(`\n${reason}: stopping the workers…`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    const exited = Promise.all(
      workers.map((w) => new Promise<void>((r) => (w.isDead() ? r() : w.once('exit', () => r())))),
    );
    for (const w of workers) w.process.kill('SIGTERM');
    const finished = await Promise.race([exited.then(() => true), delay(stopGraceMs).then(() => false)]);
    if (!finished) {
      console.error(`workers still running after ${stopGraceMs / 1000} s: killing them`);
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }
    await shared.stop().catch(() => undefined);
    process.exit(finished ? exitCode : 1);
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping || retiring.delete(worker.id)) return;
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    const now = Date.now();
    while (restarts.length && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= RESTARTS_PER_WINDOW(workerCount)) {
      console.error(
        `worker ${worker.process.pid} stopped (${how}); ${restarts.length} replacements in the last minute: giving up`,
      );
      void stop('Workers keep stopping', 1);
      return;
    }
    restarts.push(now);
    console.error(`worker ${worker.process.pid} stopped (${how}): starting a replacement`);
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS);
  });
  /**
   * One worker at a time: fork its successor, wait until that one serves, then SIGTERM the old
   * one, which stops accepting and finishes its requests in flight (graceful-shutdown.ts). The
   * port never lacks a serving process, so a deploy drops no request.
   */
  const rollingRestart = async () => {
    if (rolling || stopping) return;
    rolling = true;
    const generation = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w) && !w!.isDead());
    console.log(`SIGHUP received: replacing ${generation.length} workers one by one…`);
    try {
      for (const old of generation) {
        if (stopping) return;
        const successor = fork();
        const serving = await new Promise<boolean>((resolve) => {
          successor.on('message', (message) => message === WORKER_READY && resolve(true));
          successor.once('exit', () => resolve(false));
        });
        if (!serving) {
          console.error('a replacement worker stopped before serving: rolling restart abandoned');
          return;
        }
        if (old.isDead()) continue;
        retiring.add(old.id);
        const gone = new Promise<void>((r) => old.once('exit', () => r()));
        old.process.kill('SIGTERM');
        const finished = await Promise.race([gone.then(() => true), delay(stopGraceMs).then(() => false)]);
        if (!finished) old.process.kill('SIGKILL');
      }
      console.log('rolling restart done');
    } finally {
      rolling = false;
    }
  };
  process.on('SIGHUP', () => void rollingRestart());
  process.on('SIGTERM', () => void stop('SIGTERM received', 0));
  process.on('SIGINT', () => void stop('SIGINT received', 0));

  // A worker asked for /metrics: the answer sums every worker's registry (prom-client).
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: string }) => {
    if (message?.type !== CLUSTER_METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: CLUSTER_METRICS_ANSWER, id: message.id, text }),
      () => worker.isConnected() && worker.send({ type: CLUSTER_METRICS_ANSWER, id: message.id, text: null }),
    );
  });

  const ready = new Set<number>();
  cluster.on('message', function firstReady(worker, message) {
    if (message !== WORKER_READY) return;
    ready.add(worker.id);
    if (ready.size < workerCount) return;
    cluster.off('message', firstReady);
    hooks.onReady({
      description: `${shared.description}; ${workerCount} worker processes`,
      demoLogins: shared.demoLogins,
    });
  });
  for (let i = 0; i < workerCount; i++) fork();
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
    probe.once('error', reject);
  });
}

function delay(ms: number) {
  return new Promise<void>((r) => setTimeout(r, ms).unref());
}
