/**
 * The Postgres adapter (Prisma over node-postgres): implements every repository of the port.
 * Works against any Postgres, including the embedded PGlite server (embedded.server.ts; pass
 * `poolMax: EMBEDDED_POOL_MAX` there). The schema must be migrated first (migrate.server.ts).
 */
import { systemClock, type Repositories } from '../repository';
import { prismaAccountTokens } from './account-tokens';
import { prismaAssignments } from './assignments';
import { prismaAuthSessions } from './auth-sessions';
import { createPrismaClient, type PrismaOptions } from './client';
import { prismaConnections } from './connections';
import { prismaCourses } from './courses';
import { prismaEnrollments } from './enrollments';
import { prismaInteractions } from './interactions';
import { prismaLti } from './lti';
import { prismaMessages } from './messages';
import { prismaNotifications } from './notifications';
import { prismaPing } from './ping';
import { outboxSignal, prismaOutbox } from './outbox';
import { prismaPosts } from './posts';
import { prismaSubmissions } from './submissions';
import { prismaUsers } from './users';
import { mapConnectionFailures } from './unreachable';
import { prismaVideos } from './videos';

export async function createPrismaRepositories(opts: PrismaOptions): Promise<Repositories> {
  const { prisma, reader, pool } = createPrismaClient(opts);
  const clock = opts.now ?? systemClock;
  await prisma.$queryRaw`SELECT 1`; // fail fast on a wrong URL or an unreachable server
  // Every writer of notifications and messages tells the outbox's listeners after its commit.
  const signal = outboxSignal();
  return mapConnectionFailures<Repositories>({
    users: prismaUsers(prisma, reader, clock),
    courses: prismaCourses(prisma, reader, clock),
    enrollments: prismaEnrollments(prisma, reader, clock),
    authSessions: prismaAuthSessions(prisma, reader, clock),
    accountTokens: prismaAccountTokens(prisma, reader, clock),
    assignments: prismaAssignments(prisma, reader, clock),
    videos: prismaVideos(prisma, reader),
    submissions: prismaSubmissions(prisma, reader, signal, clock),
    interactions: prismaInteractions(prisma, reader, signal, clock),
    posts: prismaPosts(prisma, reader, clock),
    connections: prismaConnections(prisma, reader, signal, clock),
    notifications: prismaNotifications(prisma, reader, signal, clock),
    messages: prismaMessages(prisma, reader, signal, clock),
    outbox: prismaOutbox(prisma, signal, clock),
    lti: prismaLti(prisma, reader, clock),
    ping: prismaPing(prisma, async () => (await import('./migrate.server')).expectedMigrations()),
    close: async () => {
      await prisma.$disconnect();
      await pool.end(); // ours: Prisma leaves a pool it was handed open
    },
  });
}
