import { runRepositoryContract } from '../contract/repository-contract';
import { startMigratedDatabase } from '../../../tests/migrated-database';
import { EMBEDDED_POOL_MAX } from './embedded.server';
import { createPrismaRepositories } from './index';

const onEmbeddedPostgres = (poolMax: number) => async () => {
  const server = await startMigratedDatabase();
  const repos = await createPrismaRepositories({ databaseUrl: server.url, poolMax });
  return { repos, teardown: server.stop };
};

runRepositoryContract('prisma on embedded PGlite', onEmbeddedPostgres(EMBEDDED_POOL_MAX));
// Many connections multiplexed onto PGlite's one session (the CLI, scripts, larger pools).
runRepositoryContract('prisma on embedded PGlite, 8 connections', onEmbeddedPostgres(8));
