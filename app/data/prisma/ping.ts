import type { PrismaClient } from './client';

/**
 * Reachable, and every migration in prisma/migrations finished (none rolled back). The
 * expected list is read once: it is fixed for the life of the process.
 */
export function prismaPing(prisma: PrismaClient, expected: () => Promise<string[]>) {
  let expectedOnce: Promise<string[]> | undefined;
  return async (): Promise<{ schemaCurrent: boolean }> => {
    const rows = await prisma.$queryRaw<Array<{ migration_name: string }>>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((r) => r.migration_name));
    expectedOnce ??= expected();
    const names = await expectedOnce.catch((error: unknown) => {
      expectedOnce = undefined;
      throw error;
    });
    return { schemaCurrent: names.every((name) => applied.has(name)) };
  };
}
