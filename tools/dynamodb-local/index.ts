/**
 * A local DynamoDB for tests and development: dynalite (Apache-2.0, LevelDB, no Java) extended
 * with TransactWriteItems, TransactGetItems and the Streams API. See
 * docs/decisions/008-dynalite-extended.md.
 *
 *   const local = await startDynamoDbLocal();                  // free port, in memory
 *   const local = await startDynamoDbLocal({ port: 8000, dataDir: '.data/dynamodb' });
 *   ... new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS })
 *   await local.stop();
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { createRouter } from './router';
import { createHookedDynalite } from './store-hooks';
import { withTestHooks, type TestHooks } from './test-hooks';

export type { Throttle, ThrottleKind, TestHooks } from './test-hooks';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Operation counts and throttling on demand (test-hooks.ts). */
  testHooks: TestHooks;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** 0 or absent: a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** A folder for an on-disk LevelDB that survives restarts; absent: in memory. */
  dataDir?: string;
  /** Also serve the test hooks over HTTP under `/__stand-in/` (the Playwright server only). */
  testHooks?: boolean;
}

/** Any credentials do: the stand-in checks only that requests are signed. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startDynamoDbLocal(opts: StartOptions = {}): Promise<DynamoDbLocal> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // Tables are usable at once (as with DynamoDB Local), not after dynalite's default 500 ms.
  const { dynaliteServer, ext } = createHookedDynalite({
    path: opts.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await ext.streams.open();
  const dynaliteHandler = dynaliteServer.listeners('request')[0] as http.RequestListener;
  const { listener, hooks } = withTestHooks(createRouter(ext, dynaliteHandler), { http: opts.testHooks ?? false });
  const server = http.createServer(listener);
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await closeStore(ext.store.db);
    throw err;
  }
  const { port } = server.address() as net.AddressInfo;
  let stopped: Promise<void> | null = null;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    testHooks: hooks,
    stop: () =>
      (stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await closeStore(ext.store.db);
      })()),
  };
}

/** dynalite's close waits for pending LevelDB operations, so nothing committed is lost. */
function closeStore(db: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    (db as { close(cb: (err: Error | null) => void): void }).close((err) => (err ? reject(err) : resolve())),
  );
}
