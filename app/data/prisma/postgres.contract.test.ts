import pg from 'pg';
import { describe } from 'vitest';
import { runRepositoryContract } from '../contract/repository-contract';
import { createPrismaRepositories } from './index';
import { migrateDeploy } from './migrate.server';

const databaseUrl = process.env.DATABASE_URL;

/**
 * The contract gets a database of its own on the DATABASE_URL server (`<name>_contract`):
 * other tests on that database may run the job runner, which would claim and complete the
 * outbox entries the outbox contract looks for.
 */
async function contractDatabase(url: string): Promise<string> {
  const INSUFFICIENT_PRIVILEGE = '42501';
  const DUPLICATE_DATABASE = '42P04';
  const own = new URL(url);
  const name = `${own.pathname.slice(1) || 'postgres'}_contract`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // A role without CREATEDB shares the given database (and its risk); a parallel run may
        // have created ours meanwhile.
        if (code === INSUFFICIENT_PRIVILEGE) return url;
        if (code !== DUPLICATE_DATABASE) throw error;
      }
    }
  } finally {
    await client.end();
  }
  own.pathname = `/${name}`;
  return own.toString();
}

describe.skipIf(!databaseUrl)('postgres (DATABASE_URL)', () => {
  runRepositoryContract('prisma on PostgreSQL', async () => {
    const url = await contractDatabase(databaseUrl!);
    await migrateDeploy(url);
    return { repos: await createPrismaRepositories({ databaseUrl: url }) };
  });
});
