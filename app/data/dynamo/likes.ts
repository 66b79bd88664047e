/**
 * Likes: the like item (id `likeId(target, user)`) and the target's likeCount change in ONE
 * TransactWriteItems, conditional on the like (not) existing, so a double like is +1 and N
 * concurrent likes are +N.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import {
  likeId,
  type InteractionsRepository,
  type InteractionTarget,
  type LikeState,
  type NewNotification,
} from '../repository';
import { cancellationCodes, isPlausibleId, retryOnConflict, type DynamoContext } from './client';
import { isInteraction, likeItem } from './interaction-items';
import { interactionKey } from './keys';
import { notificationItems } from './notification-items';
import { announceOutboxWrite } from './outbox';
import { addToTarget, readTarget } from './targets';

const CCF = 'ConditionalCheckFailed';
/** Many people liking one popular item at once all update that one item: allow more rounds. */
const LIKE_ATTEMPTS = 25;
/** A toggle that keeps losing to the same user's concurrent calls reports the state it saw last. */
const TOGGLE_ATTEMPTS = 5;

export function createLikeWrites(ctx: DynamoContext): Pick<InteractionsRepository, 'setLike'> {
  const table = ctx.tables.interactions;

  async function currentlyLiked(id: string): Promise<boolean> {
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: interactionKey(id), ConsistentRead: true }));
    return isInteraction(out.Item);
  }

  async function stateAfter(target: InteractionTarget, liked: boolean, changed: boolean): Promise<LikeState> {
    // Transactions return no values: read the count (it may include others' likes of a moment later).
    const item = await readTarget(ctx, target);
    if (!item) throw new DataNotFoundError(target.type, target.id);
    return { liked, likeCount: (item.likeCount as number | undefined) ?? 0, changed };
  }

  /** true when written, false when the like was already as asked (its condition failed). */
  async function write(target: InteractionTarget, userId: string, like: boolean, notification: NewNotification | null) {
    const id = likeId(target, userId);
    const now = ctx.now().toISOString();
    const row = like
      ? {
          Put: {
            TableName: table,
            Item: likeItem(target, userId, now),
            ConditionExpression: 'attribute_not_exists(id)',
          },
        }
      : { Delete: { TableName: table, Key: interactionKey(id), ConditionExpression: 'attribute_exists(id)' } };
    const notify = like ? notificationItems(ctx, notification, now) : [];
    try {
      await retryOnConflict(
        () =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [row, addToTarget(ctx, target, { likeCount: like ? 1 : -1 }), ...notify],
            }),
          ),
        LIKE_ATTEMPTS,
      );
      if (notify.length > 0) announceOutboxWrite(ctx);
      return true;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[1] === CCF) throw new DataNotFoundError(target.type, target.id);
      if (codes?.[0] === CCF) return false;
      throw err;
    }
  }

  return {
    async setLike({ target, userId, liked, notification }) {
      if (!isPlausibleId(target.id)) throw new DataNotFoundError(target.type, target.id);
      if (!isPlausibleId(userId)) throw new DataNotFoundError('user', userId);
      if (liked !== undefined) return stateAfter(target, liked, await write(target, userId, liked, notification));
      // Toggle: read, then the conditional write for the opposite state; when a concurrent
      // call got there first (condition failed), read again, so every toggle flips once.
      let want = false;
      for (let attempt = 0; attempt < TOGGLE_ATTEMPTS; attempt++) {
        want = !(await currentlyLiked(likeId(target, userId)));
        if (await write(target, userId, want, notification)) return stateAfter(target, want, true);
      }
      return stateAfter(target, want, false);
    },
  };
}
