/**
 * Prisma CLI configuration. Run the CLI only through `tsx scripts/prisma-cli.ts <args>`.
 *
 * `engine: 'js'` + `adapter` makes every migrate command run on the schema engine bundled
 * with the CLI (WASM) over our pg driver adapter, so nothing is downloaded. The adapter is
 * the CLI-only one in scripts/prisma-cli-adapter.ts (works around adapter-pg 6.19 defects).
 * The app never loads this file; it builds `new PrismaClient({ adapter: new PrismaPg(...) })`.
 */
import { defineConfig } from 'prisma/config';
import { createCliAdapterFactory } from './scripts/prisma-cli-adapter';

export default defineConfig({
  experimental: { adapter: true },
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  engine: 'js',
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL must name the database for this Prisma command');
    return createCliAdapterFactory(url);
  },
});
