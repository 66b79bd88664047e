/**
 * The Postgres adapter (Prisma over node-postgres): implements every repository of the port.
 * Works against any Postgres, including the embedded PGlite server (embedded.server.ts; pass
 * `poolMax: EMBEDDED_POOL_MAX` there). The schema must be migrated first (migrate.server.ts).
 */
import { systemClock, type AssignmentsRepository, type ConnectionsRepository, type InteractionsRepository, type PostsRepository, type Repositories, type UsersRepository, type VideosRepository } from '../repository';
import { notBuilt } from '../not-built';
import { prismaAssignments } from './assignments';
import { prismaAuthSessions } from './auth-sessions';
import { createPrismaClient, type PrismaOptions } from './client';
import { prismaCourses } from './courses';
import { prismaEnrollments } from './enrollments';
import { prismaInteractions } from './interactions';
import { prismaNotifications } from './notifications';
import { prismaSubmissions } from './submissions';
import { prismaUsers } from './users';
import { prismaVideos } from './videos';

export async function createPrismaRepositories(opts: PrismaOptions): Promise<Repositories> {
  const prisma = createPrismaClient(opts);
  const clock = opts.now ?? systemClock;
  await prisma.$queryRaw`SELECT 1`; // fail fast on a wrong URL or an unreachable server
  return {
    users: notBuilt<UsersRepository>('users', prismaUsers(prisma, clock)),
    courses: prismaCourses(prisma, clock),
    enrollments: prismaEnrollments(prisma, clock),
    authSessions: prismaAuthSessions(prisma, clock),
    assignments: notBuilt<AssignmentsRepository>('assignments', prismaAssignments(prisma, clock)),
    videos: notBuilt<VideosRepository>('videos', prismaVideos(prisma)),
    submissions: prismaSubmissions(prisma, clock),
    interactions: notBuilt<InteractionsRepository>('interactions', prismaInteractions(prisma)),
    posts: notBuilt<PostsRepository>('posts'),
    connections: notBuilt<ConnectionsRepository>('connections'),
    notifications: prismaNotifications(prisma),
    close: () => prisma.$disconnect(),
  };
}
