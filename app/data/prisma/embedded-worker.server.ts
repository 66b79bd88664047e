/**
 * Entry of the embedded database's worker thread (started by embedded.server.ts): PGlite and
 * its wire server live here, so Postgres's WASM execution, its synchronous file-system calls
 * and the server half of the wire protocol stay off the web server's event loop.
 *
 * The thread answers exactly one `ready` or `failed`, and after `stop` one `stopped` once the
 * database is closed (flushed to its data directory).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { startWireServer } from './embedded-wire.server';

export interface WorkerStart {
  dataDir: string | null;
  /** A tarball from PGlite's dumpDataDir to start the in-memory database from (tests), or null. */
  initialData: string | null;
  port: number;
  /** Postgres settings (`name=value`), given to PGlite as `-c` start parameters. */
  settings: string[];
}

export type FromWorker =
  | { kind: 'ready'; port: number }
  | { kind: 'failed'; message: string; code?: string }
  | { kind: 'stopped' }
  | { kind: 'stopFailed'; message: string };

export type ToWorker = { kind: 'stop' };

function describe(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as NodeJS.ErrnoException).code;
  return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

async function main(port: NonNullable<typeof parentPort>, start: WorkerStart) {
  let db: PGlite | undefined;
  try {
    if (start.dataDir) await mkdir(start.dataDir, { recursive: true });
    db = await PGlite.create(start.dataDir ?? 'memory://', {
      startParams: [...PGlite.defaultStartParams, ...start.settings.flatMap((s) => ['-c', s])],
      ...(start.initialData ? { loadDataDir: new Blob([await readFile(start.initialData)]) } : {}),
    });
    const wire = await startWireServer(db, start.port);
    const opened = db;
    port.on('message', (message: ToWorker) => {
      if (message.kind !== 'stop') return;
      wire
        .close()
        .then(() => opened.close())
        .then(
          () => port.postMessage({ kind: 'stopped' } satisfies FromWorker),
          (error: unknown) => port.postMessage({ kind: 'stopFailed', ...describe(error) } satisfies FromWorker),
        );
    });
    port.postMessage({ kind: 'ready', port: wire.port } satisfies FromWorker);
  } catch (error) {
    await db?.close().catch(() => undefined);
    port.postMessage({ kind: 'failed', ...describe(error) } satisfies FromWorker);
  }
}

if (parentPort) void main(parentPort, workerData as WorkerStart);
