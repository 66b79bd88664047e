import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  test: {
    include: ['app/**/*.test.ts', 'app/**/*.test.tsx', 'scripts/**/*.test.ts', 'server/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts', 'infra/**/*.test.ts'],
    environment: 'node',
    // Contract suites start databases (PGlite, the local DynamoDB): give them room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one fork fewer than the CPUs: ONE on a 2-core CI machine. Most files
    // wait on databases and child servers rather than compute, so two run side by side.
    maxWorkers: 2,
    minWorkers: 1,
    globalSetup: ['tests/migrated-database.global.ts'],
  },
});
