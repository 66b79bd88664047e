/**
 * The daily reads as NAMED prepared statements on the same pg pool Prisma uses
 * (docs/decisions/016-prepared-reads.md). A named statement is parsed and planned once per
 * connection; each later call only binds and executes — no Prisma query compilation, and
 * Postgres reuses its cached plan. Writes stay on Prisma.
 *
 * Invariants:
 * - One fixed SQL text per name: IN lists are `= ANY($1::text[])`, optional parts are separate
 *   statements (`keysetStatements`). node-postgres refuses a name reused with another text.
 * - Every statement sent goes through `onQuery`, like Prisma's query events (page-cost tests and
 *   the bench count calls through it).
 * - Never call a Reader from inside a Prisma `$transaction`: the transaction holds a pool
 *   connection, and the embedded server's pool has ONE — the read would wait forever.
 * - Statements are tied to the schema they were planned on. Migrations run before this pool
 *   connects (migrate.server.ts), and the column lists are explicit (never `SELECT *`), so a
 *   later added column cannot change a cached statement's result shape.
 *
 * Names carry a per-connection tag because the embedded PGlite server multiplexes every
 * connection onto ONE Postgres session: two connections preparing the same name there would
 * clash ("prepared statement already exists"). A tag is reused once its connection is gone;
 * whatever that connection left prepared (only possible on the shared session) is deallocated
 * by the next holder first, so the session's statements stay bounded by the pool size.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** Postgres truncates identifiers at 63 bytes; the tag takes up to 15 of them. */
const MAX_NAME = 48;

export function statement(name: string, text: string): Statement {
  if (name.length > MAX_NAME || !/^[a-z][\w.]*$/i.test(name)) throw new Error(`Bad statement name: ${name}`);
  return { name, text: text.replace(/\s+/g, ' ').trim() };
}

/**
 * A row as node-postgres parses it: BIGINT arrives as a string (it may exceed 2^53), where
 * Prisma gives a bigint. Timestamps are Dates and enums text either way.
 */
export type WireRow<T> = { [K in keyof T]: T[K] extends bigint ? bigint | string : T[K] };

export interface Reader {
  /** Runs a read-only statement; rows come back with pg's default type parsing. */
  rows<Row>(statement: Statement, values: readonly unknown[]): Promise<Row[]>;
}

export function createReader(pool: pg.Pool, onQuery?: (sql: string, durationMs?: number) => void): Reader {
  // Random per pool: another process (a script) may use the same embedded server.
  const poolTag = randomBytes(3).toString('hex');
  const tags = new WeakMap<pg.PoolClient, string>();
  const freeTags: string[] = [];
  const needsCleanup = new Set<string>();
  let nextTag = 0;

  pool.on('remove', (client) => {
    const tag = tags.get(client as pg.PoolClient);
    if (tag === undefined) return;
    freeTags.push(tag);
    needsCleanup.add(tag);
  });

  async function run<Row>(client: pg.PoolClient, config: pg.QueryConfig): Promise<Row[]> {
    const started = performance.now();
    try {
      const result = await client.query<Row & pg.QueryResultRow>(config);
      return result.rows;
    } finally {
      onQuery?.(config.text, performance.now() - started);
    }
  }

  async function tagOf(client: pg.PoolClient): Promise<string> {
    const known = tags.get(client);
    if (known !== undefined) return known;
    const tag = freeTags.shift() ?? `r${poolTag}_${nextTag++}_`;
    tags.set(client, tag);
    if (needsCleanup.has(tag)) {
      try {
        const left = await run<{ name: string }>(client, {
          text: 'SELECT name FROM pg_prepared_statements WHERE starts_with(name, $1)',
          values: [tag],
        });
        for (const { name } of left) await run(client, { text: `DEALLOCATE "${name.replace(/"/g, '""')}"` });
        needsCleanup.delete(tag);
      } catch (error) {
        // Not cleared: the tag goes back for the next connection to try again.
        tags.delete(client);
        freeTags.unshift(tag);
        throw error;
      }
    }
    return tag;
  }

  return {
    async rows<Row>(s: Statement, values: readonly unknown[]): Promise<Row[]> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // Checked out, the client has no pool listener: a connection lost mid-query would emit
      // an unhandled 'error' (ending the process) besides failing the query, which we throw.
      const lost = (error: Error) => (broken = error);
      client.on('error', lost);
      try {
        const tag = await tagOf(client);
        return await run<Row>(client, { name: tag + s.name, text: s.text, values: [...values] });
      } catch (error) {
        // A lost connection must not go back to the pool; an SQL error leaves it usable.
        if (!(error instanceof Error && 'severity' in error)) broken = error as Error;
        throw error;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
  };
}

/** First page and "after the cursor" variants of one keyset list, each a fixed text. */
export interface KeysetStatements {
  first: Statement;
  after: Statement;
  /** How many parameters the WHERE part takes ($1..$n). */
  params: number;
}

/**
 * `select` is `SELECT ... FROM ... WHERE <conditions on $1..$params>`; the keyset condition
 * is spelled `at <= t AND (at < t OR id < k)` (or >=, >) so `at` bounds the index range scan.
 */
export function keysetStatements(
  name: string,
  select: string,
  params: number,
  order: { at: string; id: string; dir: 'ASC' | 'DESC' },
): KeysetStatements {
  const [inclusive, strict] = order.dir === 'DESC' ? ['<=', '<'] : ['>=', '>'];
  const orderBy = `ORDER BY ${order.at} ${order.dir}, ${order.id} ${order.dir}`;
  const t = `$${params + 1}`;
  const k = `$${params + 2}`;
  return {
    first: statement(`${name}.first`, `${select} ${orderBy} LIMIT $${params + 1}`),
    after: statement(
      `${name}.after`,
      `${select} AND ${order.at} ${inclusive} ${t} AND (${order.at} ${strict} ${t} OR ${order.id} ${strict} ${k})
       ${orderBy} LIMIT $${params + 3}`,
    ),
    params,
  };
}

/**
 * Rows strictly beyond an optional position, at most `limit` (the feed and replay reads, whose
 * callers page themselves): the same two fixed texts as a keyset list.
 */
export async function readBeyond<Row>(
  reader: Reader,
  list: KeysetStatements,
  values: readonly unknown[],
  beyond: { at: Date; id: string } | undefined,
  limit: number,
): Promise<Row[]> {
  if (values.length !== list.params) throw new Error(`${list.first.name} takes ${list.params} values`);
  return beyond
    ? reader.rows<Row>(list.after, [...values, beyond.at, beyond.id, limit])
    : reader.rows<Row>(list.first, [...values, limit]);
}

/** One page's rows: `limit + 1`, the extra one says "there is more". */
export function readKeysetRows<Row>(
  reader: Reader,
  list: KeysetStatements,
  values: readonly unknown[],
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<Row[]> {
  return readBeyond<Row>(reader, list, values, after, limit + 1);
}
