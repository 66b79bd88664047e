import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../cursor';
import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  clampLimit,
  type CourseRole,
  type Enrollment,
  type EnrollmentsRepository,
  type Page,
  type PageRequest,
} from '../repository';
import {
  cancellationCodes,
  entityExists,
  isConditionalCheckFailed,
  isPlausibleId,
  retryOnConflict,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, MEMBER_SK_PREFIX, courseKey, memberKey, userKey } from './keys';
import { countPartition } from './query';
import { INDEXES } from './tables';

/**
 * An enrolment item in classcast-courses. `enrollmentSeq` (a ULID: time-ordered, unique) is
 * the sort key of both the roster LSI (read oldest first) and the userId-index GSI (read
 * newest first, ScanIndexForward false).
 */
export function memberItem(e: Enrollment): Item {
  const seq = newId();
  return {
    ...memberKey(e.courseId, e.userId),
    entity: ENTITY.member,
    courseId: e.courseId,
    userId: e.userId,
    role: e.role,
    createdAt: e.createdAt,
    enrollmentSeq: seq,
  };
}

function toEnrollment(item: Item): Enrollment {
  return {
    courseId: item.courseId as string,
    userId: item.userId as string,
    role: item.role as CourseRole,
    createdAt: item.createdAt as string,
  };
}

type Cursor = Record<string, string>;

/**
 * A cursor is the key of the last item returned (table key + index key). It is only
 * accepted for the same query: exact attribute set, all strings, same partition value.
 */
function cursorValidator(attrs: readonly string[], partitionAttr: string, partitionValue: string) {
  return (value: unknown): value is Cursor => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const v = value as Record<string, unknown>;
    const keys = Object.keys(v);
    return (
      keys.length === attrs.length &&
      attrs.every((a) => typeof v[a] === 'string' && (v[a] as string).length > 0) &&
      v[partitionAttr] === partitionValue &&
      (v.sk as string).startsWith(MEMBER_SK_PREFIX)
    );
  };
}

export function createEnrollmentsRepository(ctx: DynamoContext): EnrollmentsRepository {
  const table = ctx.tables.courses;

  async function get(courseId: string, userId: string): Promise<Enrollment | null> {
    if (!isPlausibleId(courseId) || !isPlausibleId(userId)) return null;
    const out = await ctx.doc.send(
      new GetCommand({ TableName: table, Key: memberKey(courseId, userId), ConsistentRead: true }),
    );
    return out.Item?.entity === ENTITY.member ? toEnrollment(out.Item) : null;
  }

  /** One Query of `limit + 1` items: the extra one only tells whether a next page exists. */
  async function page(
    byUser: boolean,
    partitionValue: string,
    req: PageRequest | undefined,
  ): Promise<Page<Enrollment>> {
    const partitionAttr = byUser ? 'userId' : 'courseId';
    const keyAttrs = byUser ? ['courseId', 'sk', 'userId', 'enrollmentSeq'] : ['courseId', 'sk', 'enrollmentSeq'];
    const start = decodeCursor(req?.cursor, cursorValidator(keyAttrs, partitionAttr, partitionValue));
    const limit = clampLimit(req?.limit);
    if (!isPlausibleId(partitionValue)) return { items: [], nextCursor: null };
    const out = await ctx.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: byUser ? INDEXES.coursesByMember : INDEXES.courseRoster,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionAttr },
        ExpressionAttributeValues: { ':pk': partitionValue },
        // The roster LSI can be read strongly consistently; a GSI cannot.
        ConsistentRead: !byUser,
        // My courses newest first; the roster in enrolment order.
        ScanIndexForward: !byUser,
        Limit: limit + 1,
        ExclusiveStartKey: start,
      }),
    );
    const items = (out.Items ?? []) as Item[];
    const pageItems = items.slice(0, limit);
    // More items exist if we got the extra one, or if DynamoDB stopped early (1 MB page).
    const hasMore = items.length > limit || out.LastEvaluatedKey !== undefined;
    const last = pageItems[pageItems.length - 1];
    const nextCursor = hasMore && last ? encodeCursor(Object.fromEntries(keyAttrs.map((a) => [a, last[a]]))) : null;
    return { items: pageItems.map(toEnrollment), nextCursor };
  }

  return {
    async enroll(input: { courseId: string; userId: string; role: CourseRole }) {
      const { courseId, userId, role } = input;
      if (!isPlausibleId(courseId)) throw new DataNotFoundError('course', courseId);
      if (!isPlausibleId(userId)) throw new DataNotFoundError('user', userId);
      const enrollment: Enrollment = { courseId, userId, role, createdAt: ctx.now().toISOString() };
      try {
        // Checks (not rewrites) that course and user exist; the Put's condition makes
        // enrolment idempotent even under concurrent double submits.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                entityExists(table, courseKey(courseId), ENTITY.course),
                entityExists(ctx.tables.users, userKey(userId), ENTITY.user),
                {
                  Put: {
                    TableName: table,
                    Item: memberItem(enrollment),
                    ConditionExpression: 'attribute_not_exists(courseId)',
                  },
                },
              ],
            }),
          ),
        );
        return { enrollment, created: true };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[0] === 'ConditionalCheckFailed') throw new DataNotFoundError('course', courseId);
        if (codes?.[1] === 'ConditionalCheckFailed') throw new DataNotFoundError('user', userId);
        if (codes?.[2] === 'ConditionalCheckFailed') {
          const existing = await get(courseId, userId);
          if (existing) return { enrollment: existing, created: false };
        }
        throw err;
      }
    },

    get,

    listByUser(userId: string, req?: PageRequest) {
      return page(true, userId, req);
    },

    listByCourse(courseId: string, req?: PageRequest) {
      return page(false, courseId, req);
    },

    async remove(courseId: string, userId: string) {
      const missing = new DataNotFoundError('enrollment', `${courseId}/${userId}`);
      if (!isPlausibleId(courseId) || !isPlausibleId(userId)) throw missing;
      try {
        await ctx.doc.send(
          new DeleteCommand({
            TableName: table,
            Key: memberKey(courseId, userId),
            ConditionExpression: 'attribute_exists(courseId) AND #entity = :member',
            ExpressionAttributeNames: { '#entity': 'entity' },
            ExpressionAttributeValues: { ':member': ENTITY.member },
          }),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) throw missing;
        throw err;
      }
    },

    /** A COUNT Query on the roster LSI: one call per MB of roster read (thousands of members). */
    async countByCourse(courseId: string, role: CourseRole) {
      if (!isPlausibleId(courseId)) return 0;
      return countPartition(ctx, {
        table,
        index: INDEXES.courseRoster,
        partitionAttr: 'courseId',
        partitionValue: courseId,
        filter: { expression: '#role = :role', names: { '#role': 'role' }, values: { ':role': role } },
      });
    },
  };
}
