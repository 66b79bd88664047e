import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  clampLimit,
  type Assignment,
  type AssignmentPatch,
  type AssignmentsRepository,
  type AssignmentStatus,
  type FeedWindow,
  type NewAssignment,
  type PageRequest,
  type Visibility,
} from '../repository';
import { batchGet, isConditionalCheckFailed, isPlausibleId, updateIf, type DynamoContext, type Item } from './client';
import { feedByCourses } from './feed';
import { ENTITY, assignmentKey, timeSort } from './keys';
import { countPartition, queryPage } from './query';
import { INDEXES } from './tables';
import { putInCourse } from './checked-put';

export function toAssignment(item: Item): Assignment {
  return {
    id: item.id as string,
    courseId: item.courseId as string,
    instructorId: item.instructorId as string,
    title: item.title as string,
    description: (item.description as string | undefined) ?? '',
    dueDate: item.dueDate as string,
    maxScore: item.maxScore as number,
    status: item.status as AssignmentStatus,
    visibility: item.visibility as Visibility,
    publishedAt: (item.publishedAt as string | null | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

const isAssignment = (item: Item | undefined): item is Item => item?.entity === ENTITY.assignment;

/** What students see in a course: drafts and archived assignments are the instructor's alone. */
const isListedForStudents = (status: AssignmentStatus) => status === 'published' || status === 'closed';

/**
 * `dueSort` orders both course indexes; `publishedCourseId` exists only while students may
 * see the assignment, so the published index is sparse (drafts and archived are absent).
 * The feed index is sparse the same way (`feedCourseId`), sorted by `publishedSort`.
 * `publishedAt` is left out until the first publish (an update sets it only while absent).
 */
function assignmentItem(a: Assignment): Item {
  const { publishedAt, ...rest } = a;
  const listed = isListedForStudents(a.status) && publishedAt !== null;
  return {
    ...assignmentKey(a.id),
    entity: ENTITY.assignment,
    ...rest,
    ...(publishedAt !== null ? { publishedAt } : {}),
    dueSort: timeSort(a.dueDate, a.id),
    ...(isListedForStudents(a.status) ? { publishedCourseId: a.courseId } : {}),
    ...(listed ? { feedCourseId: a.courseId, publishedSort: timeSort(publishedAt, a.id) } : {}),
  };
}

/** Rounds of "another first publish won between our read and write" before giving up. */
const MAX_PUBLISH_ATTEMPTS = 5;

export function createAssignmentsRepository(ctx: DynamoContext): AssignmentsRepository {
  const table = ctx.tables.assignments;

  async function getById(id: string): Promise<Assignment | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: assignmentKey(id), ConsistentRead: true }));
    return isAssignment(out.Item) ? toAssignment(out.Item) : null;
  }

  return {
    async create(input: NewAssignment): Promise<Assignment> {
      if (!isPlausibleId(input.courseId)) throw new DataNotFoundError('course', input.courseId);
      if (!isPlausibleId(input.instructorId)) throw new DataNotFoundError('user', input.instructorId);
      const now = ctx.now().toISOString();
      const item = assignmentItem({
        ...input,
        id: newId(),
        publishedAt: input.status === 'draft' ? null : now,
        createdAt: now,
        updatedAt: now,
      });
      await putInCourse(ctx, {
        table,
        item,
        keyAttr: 'assignmentId',
        courseId: input.courseId,
        userId: input.instructorId,
      });
      return toAssignment(item);
    },

    getById,

    async getMany(ids: readonly string[]): Promise<Assignment[]> {
      const unique = [...new Set(ids)].filter(isPlausibleId);
      if (unique.length === 0) return [];
      const items = await batchGet(ctx, table, unique.map(assignmentKey));
      const byId = new Map(items.filter(isAssignment).map((i) => [i.id as string, toAssignment(i)]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    },

    async update(id: string, patch: AssignmentPatch): Promise<Assignment> {
      if (!isPlausibleId(id)) throw new DataNotFoundError('assignment', id);
      for (let attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++) {
        const item = await updateOnce(id, patch);
        if (item) return toAssignment(item);
      }
      throw new DataConflictError('status');
    },

    async listByCourse(courseId: string, opts: { includeDrafts: boolean }, req?: PageRequest) {
      // Drafts included: the full index. Otherwise the sparse index, so no filter is
      // needed and every page is full by construction.
      const partitionAttr = opts.includeDrafts ? 'courseId' : 'publishedCourseId';
      const page = await queryPage(
        ctx,
        {
          table,
          index: opts.includeDrafts ? INDEXES.assignmentsByCourse : INDEXES.publishedAssignmentsByCourse,
          partitionAttr,
          partitionValue: courseId,
          keyAttrs: ['assignmentId', partitionAttr, 'dueSort'],
          descending: false,
          plausible: isPlausibleId(courseId),
        },
        req,
      );
      return { items: page.items.map(toAssignment), nextCursor: page.nextCursor };
    },

    async countByCourse(courseId: string, opts: { includeDrafts: boolean }) {
      if (!isPlausibleId(courseId)) return 0;
      const partitionAttr = opts.includeDrafts ? 'courseId' : 'publishedCourseId';
      return countPartition(ctx, {
        table,
        index: opts.includeDrafts ? INDEXES.assignmentsByCourse : INDEXES.publishedAssignmentsByCourse,
        partitionAttr,
        partitionValue: courseId,
      });
    },

    async listDueByCourses(courseIds, from, limit) {
      const n = clampLimit(limit);
      const courses = [...new Set(courseIds)].filter(isPlausibleId);
      const fromSort = timeSort(from, '');
      // One Query per course on the sparse index from `from` on; closed ones are filtered out,
      // so a course is read until n published ones are found (bounded: MAX_DUE_CALLS).
      const perCourse = await Promise.all(courses.map((courseId) => dueInCourse(courseId, fromSort, n)));
      return perCourse
        .flat()
        .sort((a, b) => String(a.dueSort).localeCompare(String(b.dueSort)))
        .slice(0, n)
        .map(toAssignment);
    },

    async listPublishedForFeed(window: FeedWindow): Promise<Assignment[]> {
      const items = await feedByCourses(
        ctx,
        { table, index: INDEXES.feedAssignmentsByCourse, partitionAttr: 'feedCourseId', sortAttr: 'publishedSort' },
        window,
      );
      return items.map(toAssignment);
    },

    async deleteUnsubmitted(id) {
      if (!isPlausibleId(id)) throw new DataNotFoundError('assignment', id);
      try {
        // finalize ADDs to submissionCount in its transaction, so this condition and a
        // concurrent first submission can never both succeed.
        await ctx.doc.send(
          new DeleteCommand({
            TableName: table,
            Key: assignmentKey(id),
            ConditionExpression:
              'attribute_exists(assignmentId) AND #entity = :entity AND (attribute_not_exists(#count) OR #count = :zero)',
            ExpressionAttributeNames: { '#entity': 'entity', '#count': 'submissionCount' },
            ExpressionAttributeValues: { ':entity': ENTITY.assignment, ':zero': 0 },
          }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
        if (await getById(id)) throw new DataConflictError('submissions');
        throw new DataNotFoundError('assignment', id);
      }
    },
  };

  /**
   * One conditional UpdateItem. Without a status change it needs no read. A status change
   * reads the item first: the feed index sorts by `<publishedAt>#<id>`, which an update
   * expression cannot build, and the first publish sets `publishedAt` — conditional on it
   * still being unset, so two first publishes at once keep one time. null = lost that
   * race (read again); DataNotFoundError when absent.
   */
  async function updateOnce(id: string, patch: AssignmentPatch): Promise<Item | null> {
    const { title, description, dueDate, maxScore, status, visibility } = patch;
    const current = status === undefined ? null : await getById(id);
    if (status !== undefined && !current) throw new DataNotFoundError('assignment', id);
    const firstPublish = current !== null && current.publishedAt === null && status !== 'draft';
    // One clock read per write: a first publish's publishedAt is its updatedAt.
    const now = ctx.now().toISOString();
    const publishedAt = firstPublish ? now : (current?.publishedAt ?? null);
    const listed = status !== undefined && isListedForStudents(status);
    // `SET publishedCourseId = courseId` copies the item's own (immutable) course id.
    const indexes =
      status === undefined
        ? {}
        : listed
          ? { extraSet: ['#published = #courseId', '#feed = #courseId'] }
          : { remove: ['#published', '#feed'] };
    const item = await updateIf(ctx, {
      table,
      key: assignmentKey(id),
      set: {
        title,
        description,
        dueDate,
        maxScore,
        status,
        visibility,
        dueSort: dueDate === undefined ? undefined : timeSort(dueDate, id),
        publishedAt: firstPublish ? publishedAt : undefined,
        publishedSort: listed && publishedAt ? timeSort(publishedAt, id) : undefined,
        updatedAt: now,
      },
      ...indexes,
      condition: firstPublish
        ? 'attribute_exists(assignmentId) AND #entity = :entity AND (attribute_not_exists(#was) OR attribute_type(#was, :null))'
        : 'attribute_exists(assignmentId) AND #entity = :entity',
      names: {
        '#entity': 'entity',
        ...(status !== undefined && { '#published': 'publishedCourseId', '#feed': 'feedCourseId' }),
        ...(listed && { '#courseId': 'courseId' }),
        ...(firstPublish && { '#was': 'publishedAt' }),
      },
      values: { ':entity': ENTITY.assignment, ...(firstPublish && { ':null': 'NULL' }) },
    });
    if (item) return item;
    if (!firstPublish) throw new DataNotFoundError('assignment', id);
    return null;
  }

  async function dueInCourse(courseId: string, fromSort: string, n: number): Promise<Item[]> {
    const found: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let calls = 0; calls < MAX_DUE_CALLS && found.length < n; calls++) {
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEXES.publishedAssignmentsByCourse,
          KeyConditionExpression: '#pk = :pk AND #due >= :from',
          FilterExpression: '#status = :published',
          ExpressionAttributeNames: { '#pk': 'publishedCourseId', '#due': 'dueSort', '#status': 'status' },
          ExpressionAttributeValues: { ':pk': courseId, ':from': fromSort, ':published': 'published' },
          Limit: Math.max(n, 25),
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...((out.Items ?? []) as Item[]).filter(isAssignment));
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    return found.slice(0, n);
  }
}

const MAX_DUE_CALLS = 4;
