import { describe } from 'vitest';
import { ownDatabase } from '../../../tests/own-database';
import { runRepositoryContract } from '../contract/repository-contract';
import { createPrismaRepositories } from './index';
import { migrateDeploy } from './migrate.server';

const databaseUrl = process.env.DATABASE_URL;

/**
 * The contract gets a database of its own on the DATABASE_URL server (`<name>_contract`):
 * other tests on that database may run the job runner, which would claim and complete the
 * outbox entries the outbox contract looks for.
 */
describe.skipIf(!databaseUrl)('postgres (DATABASE_URL)', () => {
  runRepositoryContract('prisma on PostgreSQL', async () => {
    const url = await ownDatabase(databaseUrl!, 'contract');
    await migrateDeploy(url);
    return { repos: await createPrismaRepositories({ databaseUrl: url }) };
  });
});
