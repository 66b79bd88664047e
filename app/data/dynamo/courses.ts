import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  normalizeJoinCode,
  type Course,
  type CoursePatch,
  type CoursesRepository,
  type NewCourse,
  type PageRequest,
} from '../repository';
import {
  batchGet,
  buildSet,
  cancellationCodes,
  isPlausibleId,
  retryOnConflict,
  entityExists,
  updateIf,
  type DynamoContext,
} from './client';
import { catalogFields, COURSE_CATALOG, isCourse, joinCodeClaimItem, moveJoinCode, toCourse } from './course-items';
import { queryPage } from './query';
import { INDEXES } from './tables';
import { memberItem } from './enrollments';
import { ENTITY, courseKey, joinCodeClaimKey, userKey } from './keys';

const MAX_CODE = 256;

export function createCoursesRepository(ctx: DynamoContext): CoursesRepository {
  const table = ctx.tables.courses;

  async function getById(id: string): Promise<Course | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: courseKey(id), ConsistentRead: true }));
    return isCourse(out.Item) ? toCourse(out.Item) : null;
  }

  return {
    async create(input: NewCourse): Promise<Course> {
      const now = ctx.now().toISOString();
      const course: Course = {
        id: newId(),
        title: input.title,
        code: input.code,
        description: input.description ?? '',
        instructorId: input.instructorId,
        joinCode: normalizeJoinCode(input.joinCode),
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      if (!isPlausibleId(course.instructorId)) throw new DataNotFoundError('user', course.instructorId);
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                entityExists(ctx.tables.users, userKey(course.instructorId), ENTITY.user),
                {
                  Put: {
                    TableName: table,
                    Item: { ...courseKey(course.id), entity: ENTITY.course, ...course, ...catalogFields(course) },
                    ConditionExpression: 'attribute_not_exists(courseId)',
                  },
                },
                {
                  Put: {
                    TableName: table,
                    Item: joinCodeClaimItem(course.joinCode, course.id, course.createdAt),
                    ConditionExpression: 'attribute_not_exists(courseId)',
                  },
                },
                {
                  Put: {
                    TableName: table,
                    Item: memberItem({
                      courseId: course.id,
                      userId: course.instructorId,
                      role: 'instructor',
                      createdAt: now,
                    }),
                  },
                },
              ],
            }),
          ),
        );
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[0] === 'ConditionalCheckFailed') throw new DataNotFoundError('user', course.instructorId);
        if (codes?.[2] === 'ConditionalCheckFailed') throw new DataConflictError('joinCode');
        throw err;
      }
      return course;
    },

    getById,

    async getMany(ids: readonly string[]): Promise<Course[]> {
      const unique = [...new Set(ids)].filter(isPlausibleId);
      if (unique.length === 0) return [];
      const items = await batchGet(ctx, table, unique.map(courseKey));
      const byId = new Map(items.filter(isCourse).map((i) => [i.id as string, toCourse(i)]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    },

    async getByJoinCode(joinCode: string): Promise<Course | null> {
      const code = normalizeJoinCode(joinCode);
      if (!code || code.length > MAX_CODE) return null;
      const claim = await ctx.doc.send(
        new GetCommand({ TableName: table, Key: joinCodeClaimKey(code), ConsistentRead: true }),
      );
      if (claim.Item?.entity !== ENTITY.joinCodeClaim) return null;
      return getById(claim.Item.ownerCourseId as string);
    },

    async update(id: string, patch: CoursePatch): Promise<Course> {
      if (!isPlausibleId(id)) throw new DataNotFoundError('course', id);
      const newCode = patch.joinCode === undefined ? undefined : normalizeJoinCode(patch.joinCode);
      // A join-code move needs the current code; retried if the course moved under us.
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await getById(id);
        if (!current) throw new DataNotFoundError('course', id);
        const moving = newCode !== undefined && newCode !== current.joinCode;
        const { title, code, description, archivedAt } = patch;
        const updatedAt = ctx.now().toISOString();
        const set = buildSet({
          title,
          code,
          description,
          archivedAt,
          joinCode: moving ? newCode : undefined,
          updatedAt,
        });
        if (!moving) {
          const item = await updateIf(ctx, {
            table,
            key: courseKey(id),
            set: { title, code, description, archivedAt, updatedAt },
            // Unchanged code: fails (and re-reads) only if a concurrent move happened.
            condition: 'attribute_exists(courseId) AND #curCode = :curCode',
            names: { '#curCode': 'joinCode' },
            values: { ':curCode': current.joinCode },
          });
          if (item) return toCourse(item);
          continue; // deleted or code moved: re-read
        }
        try {
          await moveJoinCode(ctx, current, newCode!, set);
        } catch (err) {
          const codes = cancellationCodes(err);
          if (codes?.[2] === 'ConditionalCheckFailed') throw new DataConflictError('joinCode');
          if (codes?.includes('ConditionalCheckFailed')) continue; // changed under us: re-read
          throw err;
        }
        const updated = await getById(id);
        if (!updated) throw new DataNotFoundError('course', id);
        return updated;
      }
      throw new Error(`Course ${id} kept changing during update; giving up`);
    },

    async listAll(page?: PageRequest) {
      const result = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.courseCatalog,
          partitionAttr: 'catalog',
          partitionValue: COURSE_CATALOG,
          keyAttrs: ['courseId', 'sk', 'catalog', 'catalogSort'],
          descending: true,
        },
        page,
      );
      return { items: result.items.filter(isCourse).map(toCourse), nextCursor: result.nextCursor };
    },
  };
}
