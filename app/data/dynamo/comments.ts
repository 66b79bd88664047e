/**
 * Comments, responses and replies: each write moves the target's commentCount (and a
 * parent's replyCount) in the SAME TransactWriteItems as the rows, so counts stay exact.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import type { InteractionsRepository, InteractionTarget, NewComment, NewNotification } from '../repository';
import { cancellationCodes, isPlausibleId, retryOnConflict, sleep, type DynamoContext, type Item } from './client';
import { commentItem, commentTargetOf, isComment, toInteraction } from './interaction-items';
import { ENTITY, interactionKey } from './keys';
import { notificationItems } from './notification-items';
import { announceOutboxWrite } from './outbox';
import { INDEXES } from './tables';
import { addToCounters, addToTarget } from './targets';

const CCF = 'ConditionalCheckFailed';
/** TransactWriteItems holds at most 100 items; a delete also updates the target and the parent. */
const REPLIES_PER_TRANSACTION = 97;
/** Rounds of "replies the index does not show yet" (GSIs lag) before giving up. */
const MAX_DELETE_ROUNDS = 20;

type CommentWrites = Pick<InteractionsRepository, 'addComment' | 'deleteComment'>;

const targetOfItem = (item: Item): Pick<InteractionTarget, 'type' | 'id'> => ({
  type: item.targetType as InteractionTarget['type'],
  id: (item.postId ?? item.videoId) as string,
});

export function createCommentWrites(ctx: DynamoContext): CommentWrites {
  const table = ctx.tables.interactions;

  async function readComment(id: string): Promise<Item | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: interactionKey(id), ConsistentRead: true }));
    return isComment(out.Item) ? out.Item : null;
  }

  /** Up to `limit` of a comment's replies (GSI, so possibly a moment behind the table). */
  async function repliesOf(parentId: string, limit: number): Promise<Item[]> {
    const out = await ctx.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: INDEXES.repliesByParent,
        KeyConditionExpression: '#parentId = :parentId',
        ExpressionAttributeNames: { '#parentId': 'parentId' },
        ExpressionAttributeValues: { ':parentId': parentId },
        Limit: limit,
      }),
    );
    return (out.Items ?? []) as Item[];
  }

  const deleteIfExists = (id: string) => ({
    Delete: { TableName: table, Key: interactionKey(id), ConditionExpression: 'attribute_exists(id)' },
  });

  /**
   * The comment with its last replies, in one transaction conditional on `replyCount` being
   * the number deleted: a reply added meanwhile cancels it and the caller looks again.
   * Returns false when the condition failed that way.
   */
  async function deleteWithReplies(comment: Item, replies: Item[]): Promise<boolean> {
    const target = targetOfItem(comment);
    try {
      await retryOnConflict(() =>
        ctx.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: table,
                  Key: interactionKey(comment.id as string),
                  ConditionExpression: '#entity = :entity AND #replyCount = :n',
                  ExpressionAttributeNames: { '#entity': 'entity', '#replyCount': 'replyCount' },
                  ExpressionAttributeValues: { ':entity': ENTITY.interaction, ':n': replies.length },
                },
              },
              addToTarget(ctx, target, { commentCount: -(1 + replies.length) }),
              ...replies.map((r) => deleteIfExists(r.id as string)),
            ],
          }),
        ),
      );
      return true;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[1] === CCF) throw new DataNotFoundError(target.type, target.id);
      // The count moved, or a reply the index still showed was already gone: look again.
      if (codes?.includes(CCF)) return false;
      throw err;
    }
  }

  /** A batch of replies (of a comment with more than fit in one transaction), counters with them. */
  async function deleteReplies(comment: Item, replies: Item[]): Promise<void> {
    const target = targetOfItem(comment);
    try {
      await retryOnConflict(() =>
        ctx.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              addToCounters(table, interactionKey(comment.id as string), ENTITY.interaction, {
                replyCount: -replies.length,
              }),
              addToTarget(ctx, target, { commentCount: -replies.length }),
              ...replies.map((r) => deleteIfExists(r.id as string)),
            ],
          }),
        ),
      );
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[1] === CCF) throw new DataNotFoundError(target.type, target.id);
      // The comment or one of these replies went meanwhile: nothing was written; look again.
      if (!codes?.includes(CCF)) throw err;
    }
  }

  async function deleteReply(reply: Item): Promise<void> {
    const target = targetOfItem(reply);
    try {
      await retryOnConflict(() =>
        ctx.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              deleteIfExists(reply.id as string),
              addToTarget(ctx, target, { commentCount: -1 }),
              addToCounters(table, interactionKey(reply.parentId as string), ENTITY.interaction, { replyCount: -1 }),
            ],
          }),
        ),
      );
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[0] === CCF) throw new DataNotFoundError('comment', reply.id as string);
      if (codes?.[1] === CCF) throw new DataNotFoundError(target.type, target.id);
      throw err;
    }
  }

  return {
    async addComment(input: NewComment, notification: NewNotification | null) {
      const { target } = input;
      if (!isPlausibleId(target.id)) throw new DataNotFoundError(target.type, target.id);
      const parentId = input.parentId ?? null;
      if (parentId !== null && !isPlausibleId(parentId)) throw new DataNotFoundError('comment', parentId);
      const now = ctx.now().toISOString();
      const item = commentItem(input, newId(), now);
      const parentUpdate = parentId
        ? [
            {
              Update: {
                TableName: table,
                Key: interactionKey(parentId),
                UpdateExpression: 'ADD #replyCount :one',
                // Only a top-level comment of the same target can be answered (one level deep).
                ConditionExpression: '#entity = :entity AND #commentTarget = :target',
                ExpressionAttributeNames: {
                  '#entity': 'entity',
                  '#replyCount': 'replyCount',
                  '#commentTarget': 'commentTarget',
                },
                ExpressionAttributeValues: {
                  ':entity': ENTITY.interaction,
                  ':one': 1,
                  ':target': commentTargetOf(target),
                },
              },
            },
          ]
        : [];
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(id)' } },
                addToTarget(ctx, target, { commentCount: 1 }),
                ...parentUpdate,
                ...notificationItems(ctx, notification, now),
              ],
            }),
          ),
        );
        if (notification) announceOutboxWrite(ctx);
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[1] === CCF) throw new DataNotFoundError(target.type, target.id);
        if (parentId && codes?.[2] === CCF) throw new DataNotFoundError('comment', parentId);
        throw err;
      }
      return toInteraction(item);
    },

    async deleteComment(id: string) {
      for (let round = 0; round < MAX_DELETE_ROUNDS; round++) {
        const comment = await readComment(id);
        if (!comment) throw new DataNotFoundError('comment', id);
        if (comment.parentId) return deleteReply(comment);
        const replyCount = (comment.replyCount as number | undefined) ?? 0;
        if (replyCount > REPLIES_PER_TRANSACTION) {
          // Too many for one transaction: remove replies in batches first, each batch with
          // its counter changes, so the counts are right between batches too.
          const batch = await repliesOf(id, REPLIES_PER_TRANSACTION);
          if (batch.length > 0) await deleteReplies(comment, batch);
          else await sleep(50);
          continue;
        }
        const replies = replyCount > 0 ? await repliesOf(id, replyCount) : [];
        // replyCount is exact (same transactions); fewer replies seen means the index lags.
        if (replies.length === replyCount && (await deleteWithReplies(comment, replies))) return;
        await sleep(20 * (round + 1));
      }
      throw new Error(`Could not delete comment ${id}: its replies kept changing`);
    },
  };
}
