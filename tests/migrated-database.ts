/**
 * An in-memory embedded database with every migration applied: started from the run's
 * migrated tarball (tests/migrated-database.global.ts), or migrated here when the runner gave
 * none (a file run by a config without the global setup).
 */
import { inject } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '~/data/prisma/embedded.server';
import { migrateDeploy } from '~/data/prisma/migrate.server';

export async function startMigratedDatabase(): Promise<EmbeddedPostgres> {
  const initialData = inject('migratedDatabase');
  if (initialData) return startEmbeddedPostgres({ dataDir: null, initialData });
  const pg = await startEmbeddedPostgres({ dataDir: null });
  await migrateDeploy(pg.url);
  return pg;
}
