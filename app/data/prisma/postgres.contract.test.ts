import { describe } from 'vitest';
import { runRepositoryContract } from '../contract/repository-contract';
import { createPrismaRepositories } from './index';
import { migrateDeploy } from './migrate.server';

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('postgres (DATABASE_URL)', () => {
  runRepositoryContract('prisma on PostgreSQL', async () => {
    await migrateDeploy(databaseUrl!);
    return { repos: await createPrismaRepositories({ databaseUrl: databaseUrl! }) };
  });
});
