/**
 * Likes: the row's id is likeId(target, user), so the primary key lets a like exist at most
 * once. Each change is ONE statement: insert-if-absent (or delete) in a CTE, and the counter
 * moves only if that CTE returned a row — so 100 concurrent likers make exactly +100 and a
 * double "like" by one user makes +1 (the second INSERT waits for the first to commit, then
 * inserts nothing and bumps nothing).
 */
import { DataNotFoundError } from '../errors';
import {
  likeId,
  type Clock,
  type InteractionsRepository,
  type InteractionTarget,
  type LikeState,
  type NewNotification,
} from '../repository';
import { Prisma } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { missingReferenceError } from './mapping';
import { notificationRefs, notifyIfWritten } from './notification-sql';
import type { OutboxSignal } from './outbox';

/** Fixed identifiers only (never user input) go into the SQL text. */
const COUNTED_TABLE = { video: Prisma.raw('videos'), post: Prisma.raw('posts') } as const;
/** A toggle that keeps losing races gives up and reports the state it last saw. */
const TOGGLE_ATTEMPTS = 5;

export function likeState(
  prisma: PrismaClient,
  clock: Clock,
  signal: OutboxSignal,
): Pick<InteractionsRepository, 'setLike'> {
  /** The current counter, read fresh (so it includes a concurrent winner's increment). */
  async function currentCount(target: InteractionTarget): Promise<number> {
    const where = { where: { id: target.id }, select: { likeCount: true } } as const;
    const row = target.type === 'post' ? await prisma.post.findUnique(where) : await prisma.video.findUnique(where);
    if (!row) throw new DataNotFoundError(target.type, target.id);
    return row.likeCount;
  }

  async function like(
    target: InteractionTarget,
    userId: string,
    notification: NewNotification | null,
  ): Promise<LikeState> {
    const at = clock();
    const id = likeId(target, userId);
    const videoId = target.type === 'video' ? target.id : null;
    const postId = target.type === 'post' ? target.id : null;
    const notifyOwnerId = userId === target.ownerId ? null : target.ownerId;
    let bumped: { like_count: number }[];
    try {
      bumped = await prisma.$queryRaw<{ like_count: number }[]>`
        WITH inserted AS (
          INSERT INTO interactions
            (id, target_type, video_id, post_id, course_id, target_owner_id, user_id, type, notify_owner_id, created_at)
          VALUES (${id}, ${target.type}::interaction_target_type, ${videoId}, ${postId}, ${target.courseId},
            ${target.ownerId}, ${userId}, 'like', ${notifyOwnerId}, ${at.toISOString()}::timestamptz)
          ON CONFLICT (id) DO NOTHING
          RETURNING id
        ), bumped AS (
          UPDATE ${COUNTED_TABLE[target.type]} SET like_count = like_count + 1
          WHERE id = ${target.id} AND EXISTS (SELECT 1 FROM inserted)
          RETURNING like_count
        )${notifyIfWritten('inserted', notification, at)}
        SELECT like_count FROM bumped`;
    } catch (error) {
      throw (
        missingReferenceError(error, {
          interactions_video_id_fkey: ['video', target.id],
          interactions_post_id_fkey: ['post', target.id],
          interactions_user_id_fkey: ['user', userId],
          interactions_target_owner_id_fkey: ['user', target.ownerId],
          ...notificationRefs(notification),
        }) ?? error
      );
    }
    if (bumped[0]) {
      if (notification) signal.written();
      return { liked: true, likeCount: Number(bumped[0].like_count), changed: true };
    }
    return { liked: true, likeCount: await currentCount(target), changed: false };
  }

  async function unlike(target: InteractionTarget, userId: string): Promise<LikeState> {
    const dropped = await prisma.$queryRaw<{ like_count: number }[]>`
      WITH deleted AS (
        DELETE FROM interactions WHERE id = ${likeId(target, userId)} AND type = 'like' RETURNING id
      )
      UPDATE ${COUNTED_TABLE[target.type]} SET like_count = like_count - 1
      WHERE id = ${target.id} AND EXISTS (SELECT 1 FROM deleted)
      RETURNING like_count`;
    if (dropped[0]) return { liked: false, likeCount: Number(dropped[0].like_count), changed: true };
    return { liked: false, likeCount: await currentCount(target), changed: false };
  }

  return {
    async setLike({ target, userId, liked, notification }) {
      if (liked === true) return like(target, userId, notification);
      if (liked === false) return unlike(target, userId);
      // Toggle: read, then the conditional write for the opposite state. If a concurrent call
      // got there first (changed: false), read again and retry, so every toggle flips once.
      let state: LikeState | undefined;
      for (let attempt = 0; attempt < TOGGLE_ATTEMPTS; attempt++) {
        const existing = await prisma.interaction.findUnique({
          where: { id: likeId(target, userId) },
          select: { id: true },
        });
        state = existing ? await unlike(target, userId) : await like(target, userId, notification);
        if (state.changed) return state;
      }
      return state!;
    },
  };
}
