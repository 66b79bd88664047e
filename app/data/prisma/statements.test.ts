/**
 * The prepared reads on embedded PGlite, where every connection shares ONE Postgres session:
 * same-named statements from several connections must not clash, connections that come and go
 * must not pile statements up in the session, and every statement sent is reported.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.server';
import { createReader, keysetStatements, readKeysetRows, statement } from './statements';

const NUMBERS = statement('test.numbers', 'SELECT n FROM generate_series(1, $1::int) AS g(n)');
const WORDS = keysetStatements(
  'test.words',
  `SELECT w AS id, to_timestamp(i) AS at FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i) WHERE true`,
  1,
  { at: 'to_timestamp(i)', id: 'w', dir: 'ASC' },
);

let server: EmbeddedPostgres;
const pools: pg.Pool[] = [];
/** Ended after each test, even a failed one (an idle connection must not outlive the server). */
const aPool = (config: pg.PoolConfig): pg.Pool => {
  const pool = new pg.Pool({ connectionString: server.url, ...config });
  pools.push(pool);
  return pool;
};

beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: null });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});
afterAll(async () => {
  await server.stop();
});

const preparedCount = async (pool: pg.Pool): Promise<number> =>
  Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM pg_prepared_statements')).rows[0]!.n);

describe('prepared reads on the shared embedded session', () => {
  it('runs the same statement on many connections at once, and reports each one sent', async () => {
    const pool = aPool({ max: 4 });
    const sent: string[] = [];
    const reader = createReader(pool, (sql) => sent.push(sql));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => reader.rows<{ n: number }>(NUMBERS, [(i % 3) + 1])),
    );
    expect(results.map((rows) => rows.length)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 3) + 1));
    expect(sent).toHaveLength(12);
    expect(new Set(sent)).toEqual(new Set([NUMBERS.text]));
    expect(pool.totalCount).toBeGreaterThan(1); // really several connections, not one
  });

  it('reuses a closed connection’s tag and clears what it left, so the session stays bounded', async () => {
    const pool = aPool({ max: 2, idleTimeoutMillis: 20 });
    const reader = createReader(pool);
    let opened = 0;
    let removed = 0;
    pool.on('connect', () => opened++);
    pool.on('remove', () => removed++);
    const before = await preparedCount(pool);
    for (let round = 0; round < 4; round++) {
      await Promise.all([reader.rows(NUMBERS, [2]), reader.rows(NUMBERS, [3])]);
      // Let both connections idle out and finish closing; the next round gets new ones.
      for (let i = 0; i < 500 && removed < opened; i++) await new Promise((r) => setTimeout(r, 10));
      expect(removed).toBe(opened);
    }
    expect(opened).toBeGreaterThanOrEqual(8);
    const after = await preparedCount(pool);
    expect(after - before).toBeLessThanOrEqual(2); // one statement per tag, two tags at most
  });

  it('pages a keyset list with its two fixed texts', async () => {
    const pool = aPool({ max: 1 });
    const reader = createReader(pool);
    const words = ['a', 'b', 'c', 'd', 'e'];
    const first = await readKeysetRows<{ id: string; at: Date }>(reader, WORDS, [words], undefined, 2);
    expect(first.map((r) => r.id)).toEqual(['a', 'b', 'c']); // limit + 1
    const last = first[1]!;
    const next = await readKeysetRows<{ id: string }>(reader, WORDS, [words], { at: last.at, id: last.id }, 2);
    expect(next.map((r) => r.id)).toEqual(['c', 'd', 'e']);
    await expect(readKeysetRows(reader, WORDS, [], undefined, 2)).rejects.toThrow(/takes 1 values/);
  });

  it('leaves a connection usable after an SQL error', async () => {
    const pool = aPool({ max: 1 });
    const reader = createReader(pool);
    const bad = statement('test.bad', 'SELECT 1 / $1::int AS x');
    await expect(reader.rows(bad, [0])).rejects.toThrow(/division by zero/);
    expect(await reader.rows(bad, [1])).toEqual([{ x: 1 }]);
  });

  it('refuses a statement name Postgres would truncate or misread', () => {
    expect(() => statement('x'.repeat(49), 'SELECT 1')).toThrow(/Bad statement name/);
    expect(() => statement('has space', 'SELECT 1')).toThrow(/Bad statement name/);
  });
});
