/**
 * Both real adapters with every database call counted at the wire: each SQL statement
 * Prisma sends (query events) and each DynamoDB command (SDK middleware), by name. Tests
 * that prove "a page costs the same whatever the data" measure with these.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../tools/dynamodb-local';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import { createAccountMailLimiter } from '~/auth/account-mail-limiter.server';
import { createDynamoRepositories, ensureTables } from '~/data/dynamo/index';
import { newId } from '~/data/ids';
import { EMBEDDED_POOL_MAX } from '~/data/prisma/embedded.server';
import { createPrismaRepositories } from '~/data/prisma/index';
import type { Clock, Repositories } from '~/data/repository';
import type { ServiceContext } from '~/services/context';
import { createS3Storage } from '~/storage/s3.server';
import { createMemoryBus } from '../app/realtime/memory-bus';
import { assertNoScan, operationLog } from './dynamo-operations';
import { startMigratedDatabase } from './migrated-database';

export interface CountedBackend {
  repos: Repositories;
  /** Calls (SQL statements or DynamoDB commands) sent so far. */
  sent: () => number;
  /** Calls so far by name: DynamoDB command names ("QueryCommand"); SQL calls all count as "sql". */
  byName: () => Record<string, number>;
  stop: () => Promise<void>;
}

function tally() {
  const log = operationLog();
  return { count: log.record, watch: log.watch, sent: () => log.names.length, byName: log.byName };
}

/** `onStatement` also sees each SQL text (tests that check WHICH statements a read sends). */
export async function countedPglite(clock: Clock, onStatement?: (sql: string) => void): Promise<CountedBackend> {
  const server = await startMigratedDatabase();
  const calls = tally();
  const repos = await createPrismaRepositories({
    databaseUrl: server.url,
    poolMax: EMBEDDED_POOL_MAX,
    onQuery: (sql) => {
      calls.count('sql');
      onStatement?.(sql);
    },
    now: clock,
  });
  return {
    repos,
    sent: calls.sent,
    byName: calls.byName,
    stop: async () => {
      await repos.close();
      await server.stop();
    },
  };
}

export async function countedDynamo(clock: Clock, prefix: string): Promise<CountedBackend> {
  const local: DynamoDbLocal | null = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tablePrefix = `classcast-${prefix}-${newId().toLowerCase()}-`;
  const opts = { endpoint, region: 'us-east-1', tablePrefix, credentials: LOCAL_CREDENTIALS };
  const calls = tally();
  const admin = calls.watch(new DynamoDBClient(opts));
  await ensureTables(admin, tablePrefix);
  admin.destroy();
  const repos = createDynamoRepositories({ ...opts, onCommand: calls.count, now: clock });
  return {
    repos,
    sent: calls.sent,
    byName: calls.byName,
    stop: async () => {
      await repos.close();
      await local?.stop();
      // Whatever the test measured, nothing it sent may read a whole table.
      assertNoScan(calls.byName(), `counted DynamoDB (${prefix})`);
    },
  };
}

/** Services on counted repositories. These pages never touch storage: a closed loopback port proves it. */
export function countedContext(repos: Repositories, clock: Clock): ServiceContext {
  return {
    repos,
    loginLimiter: createLoginLimiter({ perIpPerMinute: 1000 }),
    accountMailLimiter: createAccountMailLimiter(),
    bus: createMemoryBus(),
    storage: createS3Storage({
      region: 'us-east-1',
      bucket: 'classcast-videos',
      endpoint: 'http://127.0.0.1:9',
      credentials: LOCAL_CREDENTIALS,
    }),
    settings: { uploadMaxBytes: 1024 ** 3, appUrl: 'http://127.0.0.1' },
    now: clock,
  };
}

/** In small concurrent batches: the local DynamoDB and PGlite both take a steady stream best. */
export async function inBatches<T>(items: T[], run: (item: T) => Promise<unknown>, size = 25) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
