import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../../generated/prisma/client';

export type { PrismaClient };

/**
 * One PrismaClient over node-postgres (driver adapter; no query-engine binary).
 * `maxWait` is raised from Prisma's 2 s default: with a small pool (embedded PGlite runs one
 * statement at a time) a transaction may queue for a connection for a while under load.
 */
export function createPrismaClient(opts: { databaseUrl: string; poolMax?: number }): PrismaClient {
  const adapter = new PrismaPg({ connectionString: opts.databaseUrl, max: opts.poolMax });
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 10_000 } });
}
