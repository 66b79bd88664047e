import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../../generated/prisma/client';
import type { Clock } from '../repository';
import { logWarning } from '~/utils/log.server';
import { createReader, type Reader } from './statements';

export type { PrismaClient };

/**
 * One pg pool, shared by Prisma (driver adapter; no query-engine binary) and by our prepared
 * reads (statements.ts). `maxWait` is raised from Prisma's 2 s default: with a small pool
 * (embedded PGlite runs one statement at a time) a transaction may queue for a connection for
 * a while under load.
 */
export function createPrismaClient(opts: PrismaOptions): { prisma: PrismaClient; reader: Reader; pool: pg.Pool } {
  const timeouts = { ...DATABASE_TIMEOUTS, ...opts.timeouts };
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.poolMax,
    // An unreachable server fails a request in seconds instead of holding it open.
    connectionTimeoutMillis: timeouts.connectMs,
    // Client-side: a statement whose answer never comes (a dead peer, a black-holed network).
    query_timeout: timeouts.queryMs,
    // Dead peers are noticed by the OS even while a connection is idle.
    keepAlive: true,
  });
  // When the server restarts, idle connections die with an 'error' event; without a listener
  // it would end the whole process. The pool drops them and connects afresh on the next query.
  pool.on('error', (error) =>
    logWarning('database connection lost; the pool will reconnect', { reason: error.message }),
  );
  const adapter = new PrismaPg(pool);
  const reader = createReader(pool, opts.onQuery);
  const transactionOptions = { maxWait: 10_000, timeout: 10_000 };
  if (!opts.onQuery) return { prisma: new PrismaClient({ adapter, transactionOptions }), reader, pool };
  const prisma = new PrismaClient({ adapter, transactionOptions, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = opts.onQuery;
  prisma.$on('query', (event) => onQuery(event.query, event.duration));
  return { prisma, reader, pool };
}

/**
 * The bounds of waiting on Postgres (docs/decisions/023-operability.md). Outlasting them makes
 * a request fail fast with 503 + Retry-After (DataStoreUnavailableError) rather than hang.
 */
export const DATABASE_TIMEOUTS = {
  /** A new connection must be up within this. */
  connectMs: 5_000,
  /** A statement's answer must arrive within this (the slowest page query takes milliseconds). */
  queryMs: 20_000,
};

export interface PrismaOptions {
  databaseUrl: string;
  poolMax?: number;
  timeouts?: Partial<typeof DATABASE_TIMEOUTS>;
  /** Called with every SQL statement sent (and its latency): how tests prove a page's query count. */
  onQuery?: (sql: string, durationMs?: number) => void;
  /** The clock every written timestamp comes from (the services' `now`). */
  now?: Clock;
}
