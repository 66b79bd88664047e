/**
 * Embedded Postgres: PGlite (Postgres compiled to WASM) served over the Postgres wire protocol
 * on 127.0.0.1, so the app's Prisma code (adapter-pg over TCP) and the Prisma CLI (`migrate
 * deploy` in a child process) talk to it exactly as to a real server.
 *
 * The database and its wire server run in a worker thread (embedded-worker.server.ts): PGlite
 * executes WASM and makes synchronous file-system calls for every statement, which in the web
 * server's thread took about a quarter of a page's CPU (docs/decisions/017). This module only
 * starts, stops and watches that thread.
 *
 * Connections: the wire server serializes whole extended-protocol cycles and transactions
 * (embedded-wire.server.ts, embedded-queue.server.ts), so any number of connections is safe.
 * PGlite still executes one statement at a time, but now that it runs in its own thread a pool
 * of several connections keeps it busy: while the web thread renders one page, the database
 * thread already has the next statement (with ONE connection every statement waited for the
 * web thread to read the previous answer). Measured on the production build, 20 connections:
 * pool 1 → 4 took the dashboards from 0.36–0.40× to 0.43–0.53× /login and /api/courses from
 * 1.3× to 1.7× (8 was no better than 4). More connections also mean more copies of each
 * prepared statement in PGlite's one session (statements.ts tags them per connection).
 * Caveat: a connection that holds a transaction open blocks every other connection until it
 * commits, so never await another connection inside a transaction.
 *
 * PGlite has one database and no authentication: the user, password and database name in the
 * URL are not checked, and CREATE DATABASE gives no separately reachable database (so run
 * `migrate dev`, which needs a shadow database, against a real Postgres).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerStart } from './embedded-worker.server';
import { WIRE_HOST } from './embedded-wire.server';

/** Pool size for createPrismaRepositories in embedded mode (see above). */
export const EMBEDDED_POOL_MAX = 4;
// A plain module that registers tsx, then loads embedded-worker.server.ts.
const WORKER_FILE = path.join('app', 'data', 'prisma', 'embedded-worker.mjs');
// initdb of a new data directory takes seconds; far beyond that the thread is stuck.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
/**
 * Postgres settings for an app-embedded database (docs/decisions/017). PGlite keeps initdb's
 * shared_buffers = 128MB, and Postgres touches all of it: the WASM memory is never given back.
 * 16MB holds the whole demo database twice over (9 MB with the catalogs); pages past it are
 * read from the OS page cache.
 */
const POSTGRES_SETTINGS = ['shared_buffers=16MB'];
/**
 * The thread only moves protocol bytes between sockets and PGlite: short-lived, small objects.
 * V8's default young generation (two 16 MB semi-spaces) left its heap at ~55 MB for ~20 MB used.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

export interface EmbeddedPostgres {
  /** postgresql:// URL of the server. */
  url: string;
  /** Closes client sockets, the listener and the database (flushing it to dataDir), ends the thread. */
  stop(): Promise<void>;
  /** Ends the thread abruptly, the database left unclosed, as a crash would (tests of onCrash). */
  crash(): Promise<void>;
}

/**
 * The worker's source file. This module runs from app/data/prisma (tsx: dev, tests) or from
 * build/index.js (the Remix bundle): both lie below the project root that holds the file.
 */
function workerFile(): string {
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, WORKER_FILE))) return path.join(dir, WORKER_FILE);
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`Cannot find ${WORKER_FILE} above ${process.cwd()}`);
}

function startThread(workerData: WorkerStart): Worker {
  return new Worker(workerFile(), { workerData, execArgv: [], resourceLimits: THREAD_LIMITS });
}

function startError(message: string, code?: string): Error {
  const error = new Error(`Embedded Postgres did not start: ${message}`) as NodeJS.ErrnoException;
  if (code) error.code = code;
  return error;
}

/** The thread's next answer; rejects if it exits first. */
function nextAnswer(worker: Worker, lastError: () => Error | undefined): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      done();
      resolve(message);
    };
    const onExit = (code: number) => {
      done();
      reject(lastError() ?? new Error(`the database thread exited (code ${code})`));
    };
    const done = () => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}

export async function startEmbeddedPostgres(opts: {
  /** Directory for the database files; null = in-memory (gone on stop). */
  dataDir: string | null;
  /**
   * With dataDir null: a tarball written by dumpEmbeddedDataDir to start from, skipping
   * initdb (seconds of WASM) and migrations; tests start one database per file this way.
   */
  initialData?: string;
  /** 0 or absent = pick a free port. */
  port?: number;
  /**
   * Called once if the database thread dies while the server runs. The default throws, so the
   * process exits non-zero: every later query would fail, and the data's state is unknown.
   */
  onCrash?: (error: Error) => void;
}): Promise<EmbeddedPostgres> {
  const worker = startThread({
    dataDir: opts.dataDir,
    initialData: opts.initialData ?? null,
    port: opts.port ?? 0,
    settings: POSTGRES_SETTINGS,
  });
  let lastError: Error | undefined;
  let exited = false;
  let stopping: Promise<void> | undefined;
  worker.on('error', (error) => (lastError = error));
  worker.on('exit', () => (exited = true));

  let startTimer: NodeJS.Timeout | undefined;
  const startTimeout = new Promise<FromWorker>((resolve) => {
    startTimer = setTimeout(() => resolve({ kind: 'failed', message: 'timed out' }), START_TIMEOUT_MS);
  });
  const answer = await Promise.race([nextAnswer(worker, () => lastError), startTimeout])
    .catch((error: Error): FromWorker => ({ kind: 'failed', message: error.message }))
    .finally(() => clearTimeout(startTimer));
  if (answer.kind !== 'ready') {
    await worker.terminate();
    throw answer.kind === 'failed' ? startError(answer.message, answer.code) : startError(answer.kind);
  }

  const crash =
    opts.onCrash ??
    ((error: Error) =>
      process.nextTick(() => {
        throw error;
      }));
  worker.on('exit', (code) => {
    if (stopping) return;
    const cause = lastError ? `: ${lastError.message}` : '';
    crash(new Error(`Embedded Postgres thread died (exit code ${code})${cause}`, { cause: lastError }));
  });

  const stop = () =>
    (stopping ??= (async () => {
      if (exited) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<FromWorker>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'stopFailed', message: 'timed out' }), STOP_TIMEOUT_MS);
      });
      const stopped = nextAnswer(worker, () => lastError).catch((error: Error): FromWorker => ({
        kind: 'stopFailed',
        message: error.message,
      }));
      worker.postMessage({ kind: 'stop' } satisfies ToWorker);
      try {
        const result = await Promise.race([stopped, timeout]);
        if (result.kind === 'stopFailed') throw new Error(`Embedded Postgres did not stop cleanly: ${result.message}`);
      } finally {
        clearTimeout(timer);
        await worker.terminate();
      }
    })());

  return {
    url: `postgresql://postgres:postgres@${WIRE_HOST}:${answer.port}/postgres?sslmode=disable`,
    stop,
    crash: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Writes the database in a STOPPED embedded data directory to `outFile` as a tarball for
 * `startEmbeddedPostgres({ dataDir: null, initialData })`.
 */
export async function dumpEmbeddedDataDir(dataDir: string, outFile: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  try {
    const dump = await db.dumpDataDir('none');
    await writeFile(outFile, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await db.close();
  }
}
