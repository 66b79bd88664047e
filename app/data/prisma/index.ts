/**
 * The Postgres adapter (Prisma over node-postgres): implements every repository of the port.
 * Works against any Postgres, including the embedded PGlite server (embedded.server.ts; pass
 * `poolMax: EMBEDDED_POOL_MAX` there). The schema must be migrated first (migrate.server.ts).
 */
import { systemClock, type Repositories } from '../repository';
import { prismaAssignments } from './assignments';
import { prismaAuthSessions } from './auth-sessions';
import { createPrismaClient, type PrismaOptions } from './client';
import { prismaConnections } from './connections';
import { prismaCourses } from './courses';
import { prismaEnrollments } from './enrollments';
import { prismaInteractions } from './interactions';
import { prismaNotifications } from './notifications';
import { prismaPosts } from './posts';
import { prismaSubmissions } from './submissions';
import { prismaUsers } from './users';
import { prismaVideos } from './videos';

export async function createPrismaRepositories(opts: PrismaOptions): Promise<Repositories> {
  const prisma = createPrismaClient(opts);
  const clock = opts.now ?? systemClock;
  await prisma.$queryRaw`SELECT 1`; // fail fast on a wrong URL or an unreachable server
  return {
    users: prismaUsers(prisma, clock),
    courses: prismaCourses(prisma, clock),
    enrollments: prismaEnrollments(prisma, clock),
    authSessions: prismaAuthSessions(prisma, clock),
    assignments: prismaAssignments(prisma, clock),
    videos: prismaVideos(prisma),
    submissions: prismaSubmissions(prisma, clock),
    interactions: prismaInteractions(prisma, clock),
    posts: prismaPosts(prisma, clock),
    connections: prismaConnections(prisma, clock),
    notifications: prismaNotifications(prisma),
    close: () => prisma.$disconnect(),
  };
}
