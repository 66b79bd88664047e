import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../../generated/prisma/client';
import type { Clock } from '../repository';
import { createReader, type Reader } from './statements';

export type { PrismaClient };

/**
 * One pg pool, shared by Prisma (driver adapter; no query-engine binary) and by our prepared
 * reads (statements.ts). `maxWait` is raised from Prisma's 2 s default: with a small pool
 * (embedded PGlite runs one statement at a time) a transaction may queue for a connection for
 * a while under load.
 */
export function createPrismaClient(opts: PrismaOptions): { prisma: PrismaClient; reader: Reader; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax });
  const adapter = new PrismaPg(pool);
  const reader = createReader(pool, opts.onQuery);
  const transactionOptions = { maxWait: 10_000, timeout: 10_000 };
  if (!opts.onQuery) return { prisma: new PrismaClient({ adapter, transactionOptions }), reader, pool };
  const prisma = new PrismaClient({ adapter, transactionOptions, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = opts.onQuery;
  prisma.$on('query', (event) => onQuery(event.query, event.duration));
  return { prisma, reader, pool };
}

export interface PrismaOptions {
  databaseUrl: string;
  poolMax?: number;
  /** Called with every SQL statement sent (and its latency): how tests prove a page's query count. */
  onQuery?: (sql: string, durationMs?: number) => void;
  /** The clock every written timestamp comes from (the services' `now`). */
  now?: Clock;
}
