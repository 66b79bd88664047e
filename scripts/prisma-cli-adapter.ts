/**
 * CLI-only driver adapter for the Prisma 6.19 schema engine (prisma.config.ts, `engine: 'js'`).
 * The app itself uses plain `new PrismaPg(...)` (app/data/prisma); this module only exists so
 * that generate / migrate diff / migrate dev / migrate deploy / migrate status run on the
 * bundled WASM schema engine, with no engine download. It works around three defects of
 * @prisma/adapter-pg 6.19.3 when driven by the schema engine:
 *
 * 1. Catalog columns of type `name` (oid 19) and `"char"` (oid 18), which the engine reads
 *    while introspecting, make the adapter throw UnsupportedNativeDataType. Their values are
 *    already plain strings, so we report those columns as `text` (oid 25).
 * 2. `connectToShadowDb()` builds its pool from `{ ...config, database }`, but a
 *    `connectionString` wins over `database`, so the "shadow" database is the main one; and its
 *    release drops the database before ending the pool that is still connected to it. We create
 *    a genuinely separate database, point a pool at it by URL, and end that pool before DROP.
 * 3. pg pools keep the process alive for `idleTimeoutMillis` (10 s) after the command is done:
 *    `allowExitOnIdle` lets every CLI call return promptly.
 */
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const CATALOG_OIDS = new Set([18 /* "char" */, 19 /* name */]);
const TEXT_OID = 25;

type Fields = { fields?: { dataTypeID: number }[] };

function retypeCatalogColumns<T>(result: T): T {
  for (const r of (Array.isArray(result) ? result : [result]) as Fields[]) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/** Wraps `client.query` (callback and promise forms) to apply retypeCatalogColumns. */
function patchClient(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const patched = (...args: unknown[]): unknown => {
    const first = args[0] as { submit?: unknown } | undefined;
    if (first && typeof first.submit === 'function') return query(...args);
    const cbIndex = args.findIndex((a) => typeof a === 'function');
    if (cbIndex >= 0) {
      const callback = args[cbIndex] as (err: unknown, res: unknown) => void;
      args[cbIndex] = (err: unknown, res: unknown) => callback(err, err ? res : retypeCatalogColumns(res));
      return query(...args);
    }
    return (query(...args) as Promise<unknown>).then(retypeCatalogColumns);
  };
  (client as unknown as { query: typeof patched }).query = patched;
}

function makePool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 4, allowExitOnIdle: true });
  pool.on('connect', patchClient);
  return pool;
}

function connectTo(connectionString: string) {
  return new PrismaPg(makePool(connectionString), { disposeExternalPool: true }).connect();
}

type Adapter = Awaited<ReturnType<typeof connectTo>>;

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export class CliAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = new PrismaPg({}).adapterName;

  constructor(private readonly connectionString: string) {}

  connect(): Promise<Adapter> {
    return connectTo(this.connectionString);
  }

  async connectToShadowDb(): Promise<Adapter> {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    try {
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = await connectTo(withDatabase(this.connectionString, database));
      const endShadowPool = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await endShadowPool(); // close the shadow pool first: DROP refuses a database in use
          await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        } finally {
          await admin.dispose();
        }
      };
      return shadow;
    } catch (error) {
      await admin.dispose();
      throw error;
    }
  }
}

export function createCliAdapterFactory(connectionString: string): CliAdapterFactory {
  return new CliAdapterFactory(connectionString);
}
