/**
 * THE table definitions: the ten classcast-* tables of the original system, with their
 * original partition keys, plus what the relations need. Used by ensureTables (start-up,
 * scripts/create-tables.ts, tests) and by infra/. Key design and access patterns:
 * docs/dynamodb.md.
 */
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  DynamoDBClient,
  StreamViewType,
} from '@aws-sdk/client-dynamodb';
import type { DynamoOptions } from './client';
import { ensureTableDefinitions, withClient, type EnsureTablesResult } from './ensure-tables';

export type { EnsureTablesResult } from './ensure-tables';

export const DEFAULT_TABLE_PREFIX = 'classcast-';

export const TABLES = [
  'users',
  'courses',
  'assignments',
  'submissions',
  'videos',
  'posts',
  'interactions',
  'connections',
  'messages',
  'notifications',
] as const;
export type TableKey = (typeof TABLES)[number];
export type TableNames = Record<TableKey, string>;

export function tableNamesFor(prefix: string = DEFAULT_TABLE_PREFIX): TableNames {
  return Object.fromEntries(TABLES.map((t) => [t, `${prefix}${t}`])) as TableNames;
}

/** Index names, shared by the adapter and infra. */
export const INDEXES = {
  /** users: email → user (kept for the original's compatibility; correctness uses claim items). */
  usersByEmail: 'email-index',
  /** courses GSI: a member's enrolments, newest first ("my courses"). */
  coursesByMember: 'userId-index',
  /** courses, sparse: every course item under `catalog = "course"`, by `catalogSort` = `<createdAt>#<id>` (admin's list). */
  courseCatalog: 'catalog-created-index',
  /** courses LSI: a course's enrolments in enrolment order (roster), strongly consistent. */
  courseRoster: 'roster-index',
  /** assignments: a course's assignments by `dueSort` = `<dueDate>#<id>` (drafts included). */
  assignmentsByCourse: 'courseId-dueDate-index',
  /** assignments, sparse: only non-drafts carry `publishedCourseId`. */
  publishedAssignmentsByCourse: 'publishedCourseId-dueDate-index',
  /** submissions, all sorted by `submittedSort` = `<submittedAt>#<id>`. */
  submissionsByAssignment: 'assignmentId-submitted-index',
  submissionsByAssignmentStudent: 'assignmentStudent-submitted-index',
  submissionsByCourse: 'courseId-submitted-index',
  /** sparse: only not-yet-graded submissions carry `ungradedAssignmentId` / `ungradedCourseId`. */
  ungradedSubmissionsByAssignment: 'ungradedAssignmentId-submitted-index',
  ungradedSubmissionsByCourse: 'ungradedCourseId-submitted-index',
  /** sparse: graded submissions by `gradedSort` = `<gradedAt>#<id>` ("recent grades"). */
  gradedSubmissionsByStudent: 'gradedStudentId-graded-index',
  /** videos, all sorted by `createdSort` = `<createdAt>#<id>`. */
  videosByCourse: 'courseId-created-index',
  videosByAssignment: 'assignmentId-created-index',
  videosByOwner: 'ownerId-created-index',
  /** interactions: the original's hash-only GSIs, kept for its tools (unsorted). */
  interactionsByVideo: 'videoId-index',
  interactionsByUser: 'userId-index',
  /** interactions of a video by `createdSort`; view markers have no `videoId`, so are absent. */
  interactionsByVideoTime: 'videoId-created-index',
  /** interactions, sparse: top-level comments/responses by `commentTarget` = `video#<id>` / `post#<id>`. */
  commentsByTarget: 'commentTarget-created-index',
  /** interactions, sparse: replies by their `parentId`, oldest first. */
  repliesByParent: 'parentId-created-index',
  /** interactions, sparse: only those written by someone other than the target's owner (owner feed). */
  interactionsForOwner: 'notifyOwnerId-created-index',
  /** interactions of a post (likes, comments, replies): what a post delete removes. */
  interactionsByPost: 'postId-created-index',
  notificationsByRecipient: 'recipientId-created-index',
  /** notifications, sparse: only unread ones carry `unreadRecipientId` (bell count, read-all). */
  unreadNotificationsByRecipient: 'unreadRecipientId-created-index',
  /** notifications table, sparse: pending outbox entries, `outboxDue = "due"`, `dueSort = <availableAt>#<id>`. */
  outboxDue: 'outboxDue-due-index',
  /** messages of a conversation by `sentSort` = `<timestamp>#<id>` (threads). */
  messagesByConversation: 'conversationId-sent-index',
  /** messages to a user by `sentSort` (live-stream replay). */
  messagesByRecipient: 'toUserId-sent-index',
  /** messages, sparse: unread ones carry `unreadThread` = `<conversationId>#<toUserId>` (mark a thread read). */
  unreadMessagesByThread: 'unreadThread-sent-index',
  /** messages table: conversation summaries by `summaryOwnerId`, sorted `lastSort` = `<lastAt>#<lastMessageId>`. */
  conversationsByOwner: 'summaryOwnerId-last-index',
  /**
   * users, sparse: a user's active sessions (`accountOwnerId`, `accountSort` =
   * `SESSION#<lastSeenAt>#<id>`, removed on revoke) and unused account tokens
   * (`TOKEN#<purpose>#<createdAt>#<id>`, removed once used).
   */
  accountItemsByOwner: 'accountOwnerId-account-index',
  /** users, sparse: every user item under `directory = "user"`, sorted by last, first name, id. */
  userDirectory: 'directory-name-index',
  /** videos, sparse: only class-visible videos carry `classCourseId` (feed). */
  classVideosByCourse: 'classCourseId-created-index',
  /** assignments table, sparse: LTI resource links that open an assignment, oldest first (where its grades go). */
  ltiLinksByAssignment: 'ltiAssignmentId-created-index',
  /** assignments, sparse: only published/closed ones carry `feedCourseId`, sorted `<publishedAt>#<id>`. */
  feedAssignmentsByCourse: 'feedCourseId-published-index',
  /** posts of a course by `createdSort`. */
  postsByCourse: 'courseId-created-index',
  /** connections of a user on each side, by `updatedSort` = `<updatedAt>#<connectionId>`. */
  connectionsByRequester: 'requesterId-updated-index',
  connectionsByRequested: 'requestedId-updated-index',
} as const;

/** Items that carry an epoch-seconds expiry attribute; DynamoDB TTL deletes them later. */
export const TTL_ATTRIBUTES: Partial<Record<TableKey, string>> = {
  users: 'expiresAtEpoch',
  interactions: 'expiresAtEpoch',
};

/**
 * Tables whose changes feed the jobs (app/jobs) through DynamoDB Streams, as in the original:
 * a Lambda event source on AWS, the stream poller locally. New and old images, so a handler
 * sees what changed; notifications needs only new ones (its stream relays the outbox entries
 * written there, docs/decisions/020-stream-jobs.md).
 */
export const STREAMED_TABLES: Partial<Record<TableKey, StreamViewType>> = {
  users: 'NEW_AND_OLD_IMAGES',
  interactions: 'NEW_AND_OLD_IMAGES',
  notifications: 'NEW_IMAGE',
};

const S = (name: string): AttributeDefinition => ({ AttributeName: name, AttributeType: 'S' });
const hash = (name: string) => [{ AttributeName: name, KeyType: 'HASH' as const }];
const hashRange = (h: string, r: string) => [
  { AttributeName: h, KeyType: 'HASH' as const },
  { AttributeName: r, KeyType: 'RANGE' as const },
];
const ALL = { ProjectionType: 'ALL' as const };

/** A hash-key table; each GSI is `attr` (hash only) or `[hash, range]`, all strings. */
function simple(
  name: string,
  key: string,
  gsis: Record<string, string | [string, string]> = {},
): CreateTableCommandInput {
  const indexes = Object.entries(gsis).map(([IndexName, k]) => ({ IndexName, keys: typeof k === 'string' ? [k] : k }));
  const attrs = new Set([key, ...indexes.flatMap((i) => i.keys)]);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: hash(key),
    AttributeDefinitions: [...attrs].map(S),
    ...(indexes.length
      ? {
          GlobalSecondaryIndexes: indexes.map(({ IndexName, keys }) => ({
            IndexName,
            KeySchema: keys.length === 1 ? hash(keys[0]) : hashRange(keys[0], keys[1]),
            Projection: ALL,
          })),
        }
      : {}),
  };
}

export function tableDefinitions(prefix: string = DEFAULT_TABLE_PREFIX): Record<TableKey, CreateTableCommandInput> {
  const defs = keyDefinitions(prefix);
  for (const [key, view] of Object.entries(STREAMED_TABLES) as [TableKey, StreamViewType][]) {
    defs[key] = { ...defs[key], StreamSpecification: { StreamEnabled: true, StreamViewType: view } };
  }
  return defs;
}

function keyDefinitions(prefix: string): Record<TableKey, CreateTableCommandInput> {
  const n = tableNamesFor(prefix);
  return {
    users: simple(n.users, 'userId', {
      [INDEXES.usersByEmail]: 'email',
      [INDEXES.userDirectory]: ['directory', 'directorySort'],
      [INDEXES.accountItemsByOwner]: ['accountOwnerId', 'accountSort'],
    }),
    courses: {
      TableName: n.courses,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: hashRange('courseId', 'sk'),
      AttributeDefinitions: [S('courseId'), S('sk'), S('userId'), S('enrollmentSeq'), S('catalog'), S('catalogSort')],
      LocalSecondaryIndexes: [
        { IndexName: INDEXES.courseRoster, KeySchema: hashRange('courseId', 'enrollmentSeq'), Projection: ALL },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: INDEXES.coursesByMember, KeySchema: hashRange('userId', 'enrollmentSeq'), Projection: ALL },
        { IndexName: INDEXES.courseCatalog, KeySchema: hashRange('catalog', 'catalogSort'), Projection: ALL },
      ],
    },
    assignments: simple(n.assignments, 'assignmentId', {
      [INDEXES.assignmentsByCourse]: ['courseId', 'dueSort'],
      [INDEXES.publishedAssignmentsByCourse]: ['publishedCourseId', 'dueSort'],
      [INDEXES.feedAssignmentsByCourse]: ['feedCourseId', 'publishedSort'],
      [INDEXES.ltiLinksByAssignment]: ['ltiAssignmentId', 'ltiLinkSort'],
    }),
    submissions: simple(n.submissions, 'submissionId', {
      [INDEXES.submissionsByAssignment]: ['assignmentId', 'submittedSort'],
      [INDEXES.submissionsByAssignmentStudent]: ['assignmentStudent', 'submittedSort'],
      [INDEXES.submissionsByCourse]: ['courseId', 'submittedSort'],
      [INDEXES.ungradedSubmissionsByAssignment]: ['ungradedAssignmentId', 'submittedSort'],
      [INDEXES.ungradedSubmissionsByCourse]: ['ungradedCourseId', 'submittedSort'],
      [INDEXES.gradedSubmissionsByStudent]: ['gradedStudentId', 'gradedSort'],
    }),
    videos: simple(n.videos, 'videoId', {
      [INDEXES.videosByCourse]: ['courseId', 'createdSort'],
      [INDEXES.videosByAssignment]: ['assignmentId', 'createdSort'],
      [INDEXES.videosByOwner]: ['ownerId', 'createdSort'],
      [INDEXES.classVideosByCourse]: ['classCourseId', 'createdSort'],
    }),
    posts: simple(n.posts, 'postId', { [INDEXES.postsByCourse]: ['courseId', 'createdSort'] }),
    interactions: simple(n.interactions, 'id', {
      [INDEXES.interactionsByVideo]: 'videoId',
      [INDEXES.interactionsByUser]: 'userId',
      [INDEXES.interactionsByVideoTime]: ['videoId', 'createdSort'],
      [INDEXES.commentsByTarget]: ['commentTarget', 'createdSort'],
      [INDEXES.repliesByParent]: ['parentId', 'createdSort'],
      [INDEXES.interactionsForOwner]: ['notifyOwnerId', 'createdSort'],
      [INDEXES.interactionsByPost]: ['postId', 'createdSort'],
    }),
    connections: simple(n.connections, 'connectionId', {
      [INDEXES.connectionsByRequester]: ['requesterId', 'updatedSort'],
      [INDEXES.connectionsByRequested]: ['requestedId', 'updatedSort'],
    }),
    messages: simple(n.messages, 'id', {
      [INDEXES.messagesByConversation]: ['conversationId', 'sentSort'],
      [INDEXES.messagesByRecipient]: ['toUserId', 'sentSort'],
      [INDEXES.unreadMessagesByThread]: ['unreadThread', 'sentSort'],
      [INDEXES.conversationsByOwner]: ['summaryOwnerId', 'lastSort'],
    }),
    notifications: simple(n.notifications, 'notificationId', {
      [INDEXES.notificationsByRecipient]: ['recipientId', 'createdSort'],
      [INDEXES.unreadNotificationsByRecipient]: ['unreadRecipientId', 'createdSort'],
      [INDEXES.outboxDue]: ['outboxDue', 'dueSort'],
    }),
  };
}

/**
 * Creates the missing tables (and GSIs added to existing ones), waits until they are
 * ACTIVE and turns TTL on where defined. Idempotent and safe for concurrent starts.
 * Takes a client and prefix, or the adapter's options (a client is made and released).
 */
export async function ensureTables(client: DynamoDBClient, prefix?: string): Promise<EnsureTablesResult>;
export async function ensureTables(opts: DynamoOptions): Promise<EnsureTablesResult>;
export async function ensureTables(
  clientOrOpts: DynamoDBClient | DynamoOptions,
  prefix: string = DEFAULT_TABLE_PREFIX,
): Promise<EnsureTablesResult> {
  if (!('send' in clientOrOpts)) {
    return withClient(clientOrOpts, (client) => ensureTables(client, clientOrOpts.tablePrefix));
  }
  const defs = tableDefinitions(prefix);
  return ensureTableDefinitions(
    clientOrOpts,
    TABLES.map((key) => ({ definition: defs[key], ttlAttribute: TTL_ATTRIBUTES[key] })),
  );
}
