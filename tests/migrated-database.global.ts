/**
 * vitest globalSetup: migrates ONE embedded database before the run and hands every test
 * file a tarball of it (`inject('migratedDatabase')`), so a file's PGlite starts from the
 * migrated state instead of running initdb and `prisma migrate deploy` again: about 14 s of
 * CPU per file, for some fifty files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { dumpEmbeddedDataDir, startEmbeddedPostgres } from '../app/data/prisma/embedded.server';
import { migrateDeploy } from '../app/data/prisma/migrate.server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a dumpDataDir tarball of a freshly migrated embedded database. */
    migratedDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'classcast-migrated-'));
  const dataDir = path.join(dir, 'pgdata');
  const pg = await startEmbeddedPostgres({ dataDir });
  try {
    await migrateDeploy(pg.url);
  } finally {
    await pg.stop();
  }
  const tarball = path.join(dir, 'migrated.tar');
  await dumpEmbeddedDataDir(dataDir, tarball);
  project.provide('migratedDatabase', tarball);
  return () => rm(dir, { recursive: true, force: true });
}
