/**
 * The DynamoDB adapter of the repository port (classcast-* tables, AWS SDK v3).
 * Key design and access patterns: docs/dynamodb.md.
 */
import type { Repositories } from '../repository';
import { createAssignmentsRepository } from './assignments';
import { createAccountTokensRepository } from './account-tokens';
import { createAuthSessionsRepository } from './auth-sessions';
import { createContext, type DynamoOptions } from './client';
import { createConnectionsRepository } from './connections';
import { createCoursesRepository } from './courses';
import { createEnrollmentsRepository } from './enrollments';
import { createInteractionsRepository } from './interactions';
import { createLtiRepository } from './lti';
import { createMessagesRepository } from './messages';
import { createNotificationsRepository } from './notifications';
import { createOutboxRepository } from './outbox';
import { createPostsRepository } from './posts';
import { createSubmissionsRepository } from './submissions';
import { createUsersRepository } from './users';
import { dynamoPing } from './ping';
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
    users: createUsersRepository(ctx),
    courses: createCoursesRepository(ctx),
    enrollments: createEnrollmentsRepository(ctx),
    authSessions: createAuthSessionsRepository(ctx),
    accountTokens: createAccountTokensRepository(ctx),
    assignments: createAssignmentsRepository(ctx),
    videos: createVideosRepository(ctx),
    submissions: createSubmissionsRepository(ctx),
    interactions: createInteractionsRepository(ctx),
    posts: createPostsRepository(ctx),
    connections: createConnectionsRepository(ctx),
    notifications: createNotificationsRepository(ctx),
    messages: createMessagesRepository(ctx),
    outbox: createOutboxRepository(ctx),
    lti: createLtiRepository(ctx),
    ping: dynamoPing(ctx),
    async close() {
      ctx.outboxListeners.clear();
      ctx.doc.destroy();
      ctx.base.destroy();
    },
  };
}
