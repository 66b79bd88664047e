/**
 * What comments and likes attach to: a video (classcast-videos) or a post (classcast-posts).
 * Their counters move only inside the interaction's transaction, through `addToCounters`.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { InteractionTarget } from '../repository';
import type { DynamoContext, Item } from './client';
import { ENTITY, postKey, videoKey } from './keys';

type TargetRef = Pick<InteractionTarget, 'type' | 'id'>;

export function targetLocation(ctx: DynamoContext, target: TargetRef) {
  return target.type === 'video'
    ? { table: ctx.tables.videos, key: videoKey(target.id) as Item, entity: ENTITY.video }
    : { table: ctx.tables.posts, key: postKey(target.id) as Item, entity: ENTITY.post };
}

export type Counter = 'likeCount' | 'commentCount' | 'replyCount';

/**
 * A TransactWriteItems Update that ADDs to counters of an existing item of `entity` (the
 * condition keeps an ADD from creating a stub item when the target is gone).
 */
export function addToCounters(table: string, key: Item, entity: string, deltas: Partial<Record<Counter, number>>) {
  const entries = Object.entries(deltas);
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: `ADD ${entries.map(([c]) => `#${c} :${c}`).join(', ')}`,
      ConditionExpression: '#entity = :entity',
      ExpressionAttributeNames: { '#entity': 'entity', ...Object.fromEntries(entries.map(([c]) => [`#${c}`, c])) },
      ExpressionAttributeValues: {
        ':entity': entity,
        ...Object.fromEntries(entries.map(([c, d]) => [`:${c}`, d])),
      },
    },
  };
}

export function addToTarget(ctx: DynamoContext, target: TargetRef, deltas: Partial<Record<Counter, number>>) {
  const at = targetLocation(ctx, target);
  return addToCounters(at.table, at.key, at.entity, deltas);
}

/** The target item (consistent), or null when it does not exist. */
export async function readTarget(ctx: DynamoContext, target: TargetRef): Promise<Item | null> {
  const at = targetLocation(ctx, target);
  const out = await ctx.doc.send(new GetCommand({ TableName: at.table, Key: at.key, ConsistentRead: true }));
  return out.Item?.entity === at.entity ? (out.Item as Item) : null;
}
