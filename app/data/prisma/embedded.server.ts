/**
 * Embedded Postgres: PGlite (Postgres compiled to WASM) served over the Postgres wire protocol
 * on 127.0.0.1 inside this process, so the app's Prisma code (adapter-pg over TCP) and the
 * Prisma CLI (`migrate deploy` in a child process) talk to it exactly as to a real server.
 *
 * Connections: pglite-socket 0.2.17's own server takes `maxConnections` sockets (default 1;
 * more are refused with "Too many connections") and multiplexes them onto PGlite's single
 * session, but its multiplexer lets extended-protocol cycles of different connections
 * interleave (see embedded-queue.server.ts). So we build the TCP server from its exported
 * PGLiteSocketHandler with our SessionQueue, which serializes whole cycles and whole
 * transactions. Any number of connections up to MAX_CONNECTIONS is therefore safe (the app's
 * pool, the CLI, scripts). PGlite still executes one statement at a time, so a bigger pool buys
 * nothing (measured: same throughput with 1, 4 or 10): the app uses EMBEDDED_POOL_MAX = 1.
 * Caveat: a connection that holds a transaction open blocks every other connection until it
 * commits, so never await another connection inside a transaction.
 *
 * PGlite has one database and no authentication: the user, password and database name in the
 * URL are not checked, and CREATE DATABASE gives no separately reachable database (so run
 * `migrate dev`, which needs a shadow database, against a real Postgres).
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { SessionQueue } from './embedded-queue.server';

/** Pool size for createPrismaRepositories in embedded mode (see above; larger is safe too). */
export const EMBEDDED_POOL_MAX = 1;
const MAX_CONNECTIONS = 64;
const HOST = '127.0.0.1';

export interface EmbeddedPostgres {
  /** postgresql:// URL of the in-process server. */
  url: string;
  /** Closes client sockets, the listener and the database (flushing it to dataDir). */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  /** Directory for the database files; null = in-memory (gone on stop). */
  dataDir: string | null;
  /** 0 or absent = pick a free port. */
  port?: number;
}): Promise<EmbeddedPostgres> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir ?? 'memory://');
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();

  const server = createServer((socket: Socket) => {
    if (handlers.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // Same interface as pglite-socket's internal queue (enqueue / clearQueueForHandler /
      // clearTransactionIfNeeded), which its options type names but does not export.
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      await Promise.allSettled([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await closed;
      await db.close();
    })());

  return {
    url: `postgresql://postgres:postgres@${HOST}:${port}/postgres?sslmode=disable`,
    stop,
  };
}
