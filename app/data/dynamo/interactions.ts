/**
 * classcast-interactions (partition key `id`): the reads. Every list is a Query on a sparse
 * GSI (docs/dynamodb.md); the writes are in comments.ts and likes.ts.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  clampLimit,
  likeId,
  type FeedPosition,
  type InteractionsRepository,
  type InteractionTarget,
  type PageRequest,
} from '../repository';
import { batchGet, isPlausibleId, type DynamoContext, type Item } from './client';
import { createCommentWrites } from './comments';
import { beforeSort, byteOrder, queryNewest } from './feed';
import { commentTargetOf, isInteraction, toInteraction } from './interaction-items';
import { interactionKey } from './keys';
import { createLikeWrites } from './likes';
import { queryPage } from './query';
import { INDEXES } from './tables';

const TARGET_TYPES: readonly string[] = ['video', 'post'];
const MAX_REPLIES_PER_PARENT = 50;

const isPlausibleTarget = (t: Pick<InteractionTarget, 'type' | 'id'>) =>
  TARGET_TYPES.includes(t.type) && isPlausibleId(t.id);

export function createInteractionsRepository(ctx: DynamoContext): InteractionsRepository {
  const table = ctx.tables.interactions;

  return {
    /** Newest first. */
    async listByVideo(videoId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.interactionsByVideoTime,
          partitionAttr: 'videoId',
          partitionValue: videoId,
          keyAttrs: ['id', 'videoId', 'createdSort'],
          descending: true,
          plausible: isPlausibleId(videoId),
        },
        req,
      );
      return { items: page.items.map(toInteraction), nextCursor: page.nextCursor };
    },

    async getById(id: string) {
      if (!isPlausibleId(id)) return null;
      const out = await ctx.doc.send(
        new GetCommand({ TableName: table, Key: interactionKey(id), ConsistentRead: true }),
      );
      return isInteraction(out.Item) ? toInteraction(out.Item) : null;
    },

    async listComments(target, req?: PageRequest) {
      const partitionValue = isPlausibleTarget(target) ? commentTargetOf(target) : '-';
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.commentsByTarget,
          partitionAttr: 'commentTarget',
          partitionValue,
          keyAttrs: ['id', 'commentTarget', 'createdSort'],
          descending: true,
          plausible: isPlausibleTarget(target),
        },
        req,
      );
      return { items: page.items.map(toInteraction), nextCursor: page.nextCursor };
    },

    /**
     * One Query per parent that has replies (the exact replyCount says which); grouped by
     * parent (parents by id, i.e. by age), each parent's replies oldest first.
     */
    async listReplies(parents, perParent) {
      const limit = Math.min(clampLimit(perParent), MAX_REPLIES_PER_PARENT);
      const withReplies = [...new Map(parents.map((p) => [p.id, p])).values()].filter(
        (p) => p.replyCount > 0 && isPlausibleId(p.id),
      );
      const perParentItems = await Promise.all(
        withReplies.map(async (p) => {
          const out = await ctx.doc.send(
            new QueryCommand({
              TableName: table,
              IndexName: INDEXES.repliesByParent,
              KeyConditionExpression: '#parentId = :parentId',
              ExpressionAttributeNames: { '#parentId': 'parentId' },
              ExpressionAttributeValues: { ':parentId': p.id },
              ScanIndexForward: true,
              Limit: limit,
            }),
          );
          return (out.Items ?? []) as Item[];
        }),
      );
      return perParentItems
        .flat()
        .sort(
          (a, b) =>
            byteOrder(String(a.parentId), String(b.parentId)) ||
            byteOrder(String(a.createdSort), String(b.createdSort)),
        )
        .map(toInteraction);
    },

    ...createCommentWrites(ctx),
    ...createLikeWrites(ctx),

    /** One BatchGetItem of the derived like ids. */
    async likedBy(userId, targets) {
      const liked = new Set<string>();
      if (!isPlausibleId(userId)) return liked;
      const plausible = targets.filter(isPlausibleTarget);
      const byLikeId = new Map(plausible.map((t) => [likeId(t, userId), t.id]));
      if (byLikeId.size === 0) return liked;
      const items = await batchGet(ctx, table, [...byLikeId.keys()].map(interactionKey));
      for (const item of items) {
        const targetId = byLikeId.get(item.id as string);
        if (targetId && isInteraction(item) && item.type === 'like' && item.userId === userId) liked.add(targetId);
      }
      return liked;
    },

    /** One Query: only interactions by others carry `notifyOwnerId`. */
    async listOnOwnedTargets(ownerId: string, before: FeedPosition | null, limit: number) {
      if (!isPlausibleId(ownerId)) return [];
      const out = await queryNewest(
        ctx,
        { table, index: INDEXES.interactionsForOwner, partitionAttr: 'notifyOwnerId', sortAttr: 'createdSort' },
        { partitionValue: ownerId, before: beforeSort(before), limit: clampLimit(limit) },
      );
      return out.items.map(toInteraction);
    },
  };
}
