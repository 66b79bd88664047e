/**
 * The DynamoDB adapter of the repository port (classcast-* tables, AWS SDK v3).
 * Key design and access patterns: docs/dynamodb.md.
 */
import type {
  AssignmentsRepository,
  ConnectionsRepository,
  InteractionsRepository,
  PostsRepository,
  Repositories,
  UsersRepository,
  VideosRepository,
} from '../repository';
import { notBuilt } from '../not-built';
import { createAssignmentsRepository } from './assignments';
import { createAuthSessionsRepository } from './auth-sessions';
import { createContext, type DynamoOptions } from './client';
import { createCoursesRepository } from './courses';
import { createEnrollmentsRepository } from './enrollments';
import { createInteractionsRepository } from './interactions';
import { createNotificationsRepository } from './notifications';
import { createSubmissionsRepository } from './submissions';
import { createUsersRepository } from './users';
import { createVideosRepository } from './videos';

export type { DynamoOptions } from './client';
export {
  DEFAULT_TABLE_PREFIX,
  INDEXES,
  TABLES,
  ensureTables,
  tableDefinitions,
  tableNamesFor,
  type EnsureTablesResult,
} from './tables';

/** Builds the repositories. Tables must exist (ensureTables) before the first call. */
export function createDynamoRepositories(opts: DynamoOptions): Repositories {
  const ctx = createContext(opts);
  return {
    users: notBuilt<UsersRepository>('users', createUsersRepository(ctx)),
    courses: createCoursesRepository(ctx),
    enrollments: createEnrollmentsRepository(ctx),
    authSessions: createAuthSessionsRepository(ctx),
    assignments: notBuilt<AssignmentsRepository>('assignments', createAssignmentsRepository(ctx)),
    videos: notBuilt<VideosRepository>('videos', createVideosRepository(ctx)),
    submissions: createSubmissionsRepository(ctx),
    interactions: notBuilt<InteractionsRepository>('interactions', createInteractionsRepository(ctx)),
    posts: notBuilt<PostsRepository>('posts'),
    connections: notBuilt<ConnectionsRepository>('connections'),
    notifications: createNotificationsRepository(ctx),
    async close() {
      ctx.doc.destroy();
      ctx.base.destroy();
    },
  };
}
