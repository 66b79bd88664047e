/** Course and join-code-claim items of classcast-courses, and the join-code move. */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Course } from '../repository';
import { retryOnConflict, type DynamoContext, type Item, type SetClauses } from './client';
import { ENTITY, courseKey, joinCodeClaimKey, timeSort } from './keys';

export function toCourse(item: Item): Course {
  return {
    id: item.id as string,
    title: item.title as string,
    code: item.code as string,
    description: (item.description as string | undefined) ?? '',
    instructorId: item.instructorId as string,
    joinCode: item.joinCode as string,
    // Courses written before issue 16 have no archivedAt: active.
    archivedAt: (item.archivedAt as string | null | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/**
 * Every course item sits in ONE `catalog = "course"` partition of `catalog-created-index`,
 * sorted `<createdAt>#<id>`: the admin's list of all courses without a Scan (one partition is
 * fine at a school's scale: thousands of courses, read a page at a time).
 */
export const COURSE_CATALOG = 'course';
export function catalogFields(course: Pick<Course, 'id' | 'createdAt'>) {
  return { catalog: COURSE_CATALOG, catalogSort: timeSort(course.createdAt, course.id) };
}

export const isCourse = (item: Item | undefined): item is Item => item?.entity === ENTITY.course;

/** `courseId = "JOINCODE#<code>"`: its existence is the join code's uniqueness. */
export function joinCodeClaimItem(normalizedCode: string, courseId: string, createdAt: string): Item {
  return {
    ...joinCodeClaimKey(normalizedCode),
    entity: ENTITY.joinCodeClaim,
    ownerCourseId: courseId,
    createdAt,
  };
}

/** Moves the join code: course update, old claim delete, new claim put — one transaction. */
export async function moveJoinCode(
  ctx: DynamoContext,
  current: Course,
  newCode: string,
  set: SetClauses,
): Promise<void> {
  const table = ctx.tables.courses;
  await retryOnConflict(() =>
    ctx.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: courseKey(current.id),
              UpdateExpression: `SET ${set.clauses.join(', ')}`,
              // The code we release must still be the course's code (no concurrent move).
              ConditionExpression: 'attribute_exists(courseId) AND #oldCode = :oldCode',
              ExpressionAttributeNames: { ...set.names, '#oldCode': 'joinCode' },
              ExpressionAttributeValues: { ...set.values, ':oldCode': current.joinCode },
            },
          },
          {
            Delete: {
              TableName: table,
              Key: joinCodeClaimKey(current.joinCode),
              ConditionExpression: 'ownerCourseId = :id',
              ExpressionAttributeValues: { ':id': current.id },
            },
          },
          {
            Put: {
              TableName: table,
              Item: joinCodeClaimItem(newCode, current.id, ctx.now().toISOString()),
              ConditionExpression: 'attribute_not_exists(courseId)',
            },
          },
        ],
      }),
    ),
  );
}
