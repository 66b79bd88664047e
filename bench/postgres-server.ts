/**
 * A PostgreSQL server for the bench: a fresh database on DATABASE_URL's server (created here,
 * dropped at the end, so the bench never writes into the data there), or else a throw-away
 * cluster made with the installed initdb + pg_ctl on a free port in a temp folder, stopped
 * and removed at the end. Null when neither exists.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './harness';

export interface PostgresServer {
  url: string;
  description: string;
  stop(): Promise<void>;
}

async function onServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function freshDatabaseOn(serverUrl: string): Promise<PostgresServer> {
  const name = `classcast_bench_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`)).catch((error: unknown) => {
    throw new Error(`DATABASE_URL: could not create a bench database there (${(error as Error).message})`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    description: `PostgreSQL server of DATABASE_URL (${url.host}), fresh database ${name}`,
    stop: async () => {
      await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(
        (error: unknown) => console.error(`could not drop ${name}: ${(error as Error).message}`),
      );
    },
  };
}

/** The newest installed PostgreSQL's bin folder (Debian layout), or null. */
function postgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

async function throwAwayCluster(bin: string): Promise<PostgresServer> {
  // initdb refuses to run as root: then the cluster belongs to the postgres account.
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'classcast-bench-pg-'));
  const dataDir = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  let started = false;
  const stopSync = () => {
    if (started) {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } catch {
        // already stopped
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crash of the bench must not leave a server running.
  process.on('exit', stopSync);
  try {
    run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    run('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=200`,
      '-l',
      path.join(dir, 'log'),
      '-w',
      'start',
    ]);
    started = true;
    const serverUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    await onServer(serverUrl, (c) => c.query('CREATE DATABASE classcast_bench'));
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/classcast_bench`,
      description: `throw-away PostgreSQL ${path.basename(path.dirname(bin))} cluster on port ${port} (fsync off)`,
      stop: async () => {
        stopSync();
        process.off('exit', stopSync);
      },
    };
  } catch (error) {
    stopSync();
    throw error;
  }
}

export async function startBenchPostgres(databaseUrl: string | undefined): Promise<PostgresServer | null> {
  if (databaseUrl) return freshDatabaseOn(databaseUrl);
  const bin = postgresBin();
  return bin ? throwAwayCluster(bin) : null;
}
