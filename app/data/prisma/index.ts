/**
 * The Postgres adapter (Prisma over node-postgres): implements every repository of the port.
 * Works against any Postgres, including the embedded PGlite server (embedded.server.ts; pass
 * `poolMax: EMBEDDED_POOL_MAX` there). The schema must be migrated first (migrate.server.ts).
 */
import type { Repositories } from '../repository';
import { prismaAuthSessions } from './auth-sessions';
import { createPrismaClient } from './client';
import { prismaCourses } from './courses';
import { prismaEnrollments } from './enrollments';
import { prismaUsers } from './users';

export async function createPrismaRepositories(opts: { databaseUrl: string; poolMax?: number }): Promise<Repositories> {
  const prisma = createPrismaClient(opts);
  await prisma.$queryRaw`SELECT 1`; // fail fast on a wrong URL or an unreachable server
  return {
    users: prismaUsers(prisma),
    courses: prismaCourses(prisma),
    enrollments: prismaEnrollments(prisma),
    authSessions: prismaAuthSessions(prisma),
    close: () => prisma.$disconnect(),
  };
}
