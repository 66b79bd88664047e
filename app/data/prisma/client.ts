import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../../generated/prisma/client';
import type { Clock } from '../repository';

export type { PrismaClient };

/**
 * One PrismaClient over node-postgres (driver adapter; no query-engine binary).
 * `maxWait` is raised from Prisma's 2 s default: with a small pool (embedded PGlite runs one
 * statement at a time) a transaction may queue for a connection for a while under load.
 */
export function createPrismaClient(opts: PrismaOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString: opts.databaseUrl, max: opts.poolMax });
  const transactionOptions = { maxWait: 10_000, timeout: 10_000 };
  if (!opts.onQuery) return new PrismaClient({ adapter, transactionOptions });
  const client = new PrismaClient({ adapter, transactionOptions, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = opts.onQuery;
  client.$on('query', (event) => onQuery(event.query));
  return client;
}

export interface PrismaOptions {
  databaseUrl: string;
  poolMax?: number;
  /** Called with every SQL statement sent: how tests prove a page's query count. */
  onQuery?: (sql: string) => void;
  /** The clock every written timestamp comes from (the services' `now`). */
  now?: Clock;
}
