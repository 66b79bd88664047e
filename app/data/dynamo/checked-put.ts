import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import { cancellationCodes, entityExists, retryOnConflict, type DynamoContext, type Item } from './client';
import { ENTITY, courseKey, userKey } from './keys';

/**
 * Writes a new item that belongs to a course and a user (an assignment and its instructor, a
 * post and its author) in one transaction that also checks both exist — without rewriting
 * them, so creating never contends with their updates. A missing parent is a
 * DataNotFoundError naming it; nothing is written then.
 */
export async function putInCourse(
  ctx: DynamoContext,
  input: { table: string; item: Item; keyAttr: string; courseId: string; userId: string },
): Promise<void> {
  try {
    await retryOnConflict(() =>
      ctx.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            entityExists(ctx.tables.courses, courseKey(input.courseId), ENTITY.course),
            entityExists(ctx.tables.users, userKey(input.userId), ENTITY.user),
            {
              Put: {
                TableName: input.table,
                Item: input.item,
                ConditionExpression: 'attribute_not_exists(#key)',
                ExpressionAttributeNames: { '#key': input.keyAttr },
              },
            },
          ],
        }),
      ),
    );
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes?.[0] === 'ConditionalCheckFailed') throw new DataNotFoundError('course', input.courseId);
    if (codes?.[1] === 'ConditionalCheckFailed') throw new DataNotFoundError('user', input.userId);
    throw err;
  }
}
