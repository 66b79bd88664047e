/**
 * The Postgres wire server in front of PGlite: a TCP listener on 127.0.0.1 whose sockets are
 * served by pglite-socket's PGLiteSocketHandler through our SessionQueue.
 *
 * pglite-socket 0.2.17's own server takes `maxConnections` sockets (default 1; more are refused
 * with "Too many connections") and multiplexes them onto PGlite's single session, but its
 * multiplexer lets extended-protocol cycles of different connections interleave (see
 * embedded-queue.server.ts). So we build the server from the exported handler with our queue,
 * which serializes whole cycles and whole transactions: any number of connections up to
 * MAX_CONNECTIONS is safe (the app's pool, the Prisma CLI, scripts).
 *
 * Runs inside the database's worker thread (embedded-worker.server.ts), next to PGlite.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { SessionQueue } from './embedded-queue.server';

const MAX_CONNECTIONS = 64;
export const WIRE_HOST = '127.0.0.1';

export interface WireServer {
  port: number;
  /** Stops accepting, lets the running message finish, closes every client socket. */
  close(): Promise<void>;
}

export async function startWireServer(db: PGlite, port: number): Promise<WireServer> {
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, WIRE_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      await Promise.allSettled([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await closed;
    },
  };
}
