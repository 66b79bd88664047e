import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  clampLimit,
  likeId,
  systemClock,
  type Clock,
  type InteractionsRepository,
  type InteractionTarget,
} from '../repository';
import { type Prisma, type Interaction as InteractionRow } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { feedPosition, keysetPage, readKeyset } from './keyset';
import { toInteraction } from './coursework-mapping';
import { isRecordNotFound, missingReferenceError } from './mapping';
import { likeState } from './likes';
import { notificationRefs, writeNotification } from './notification-sql';
import type { OutboxSignal } from './outbox';
import { INTERACTION } from './columns';
import { keysetStatements, readBeyond, readKeysetRows, statement, type Reader } from './statements';

/** What people write: the 'submitted' marker and likes are never comments. */
const COMMENT_TYPES = ['comment', 'response'] as const;
const MAX_REPLIES_PER_PARENT = 50;

type TargetRef = Pick<InteractionTarget, 'type' | 'id'>;

const FROM = `SELECT ${INTERACTION} FROM interactions`;
const newestFirst = { at: 'created_at', id: 'id', dir: 'DESC' } as const;
const BY_VIDEO = keysetStatements('interactions.byVideo', `${FROM} WHERE video_id = $1`, 1, newestFirst);
/** Top level only, on the (video_id | post_id, created_at DESC, id DESC) index. */
const topLevelOn = (column: 'video_id' | 'post_id') =>
  `${FROM} WHERE ${column} = $1 AND parent_id IS NULL AND type IN ('comment', 'response')`;
const COMMENTS = {
  video: keysetStatements('interactions.videoComments', topLevelOn('video_id'), 1, newestFirst),
  post: keysetStatements('interactions.postComments', topLevelOn('post_id'), 1, newestFirst),
};
const BY_ID = statement('interactions.byId', `${FROM} WHERE id = $1`);
const REPLIES = statement(
  'interactions.replies',
  `SELECT r.* FROM unnest($1::text[]) AS p(id)
   CROSS JOIN LATERAL (
     SELECT ${INTERACTION} FROM interactions
     WHERE parent_id = p.id ORDER BY created_at, id LIMIT $2
   ) AS r
   ORDER BY r."parentId", r."createdAt", r.id`,
);
const LIKED = statement(
  'interactions.liked',
  `SELECT target_type::text AS "targetType", video_id AS "videoId", post_id AS "postId"
   FROM interactions WHERE id = ANY($1::text[]) AND type = 'like'`,
);
/** What the owner's feed shows of other people's actions on their videos and posts. */
const ON_OWNED = keysetStatements(
  'interactions.onOwned',
  `${FROM} WHERE notify_owner_id = $1 AND type IN ('like', 'comment', 'response')`,
  1,
  newestFirst,
);

const onTarget = (target: TargetRef) => (target.type === 'post' ? { postId: target.id } : { videoId: target.id });

export function prismaInteractions(
  prisma: PrismaClient,
  reader: Reader,
  signal: OutboxSignal,
  clock: Clock = systemClock,
): InteractionsRepository {
  const likes = likeState(prisma, clock, signal);

  /** The target's commentCount moves by `by` (a typed `SET comment_count = comment_count + n`). */
  const bumpComments = (db: Prisma.TransactionClient | PrismaClient, target: TargetRef, by: number) =>
    target.type === 'post'
      ? db.post.update({ where: { id: target.id }, data: { commentCount: { increment: by } }, select: { id: true } })
      : db.video.update({ where: { id: target.id }, data: { commentCount: { increment: by } }, select: { id: true } });

  return {
    /** Newest first: ORDER BY created_at DESC, id DESC (index video_id, created_at DESC, id DESC). */
    async listByVideo(videoId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'interactions.byVideo', videoId);
      const rows = await readKeysetRows<InteractionRow>(reader, BY_VIDEO, [videoId], after, limit);
      return keysetPage(rows, limit, 'interactions.byVideo', videoId, (r) => r.id, toInteraction);
    },

    async getById(id) {
      const [row] = await reader.rows<InteractionRow>(BY_ID, [id]);
      return row ? toInteraction(row) : null;
    },

    /** Top level only, newest first, on the (video_id | post_id, created_at DESC, id DESC) index. */
    async listComments(target, page = {}) {
      const limit = clampLimit(page.limit);
      const list = 'interactions.comments';
      const scope = `${target.type}:${target.id}`;
      const after = readKeyset(page.cursor, list, scope);
      const rows = await readKeysetRows<InteractionRow>(reader, COMMENTS[target.type], [target.id], after, limit);
      return keysetPage(rows, limit, list, scope, (r) => r.id, toInteraction);
    },

    /**
     * One query for every parent: a LATERAL subquery takes the first `perParent` replies of
     * each parent on the (parent_id, created_at, id) index, so a busy thread cannot crowd out
     * the others and the work is bounded by parents × perParent.
     */
    async listReplies(parents, perParent) {
      const ids = [...new Set(parents.filter((p) => p.replyCount > 0).map((p) => p.id))];
      if (ids.length === 0) return [];
      const n = Math.min(Math.max(Math.floor(perParent) || 1, 1), MAX_REPLIES_PER_PARENT);
      const rows = await reader.rows<InteractionRow>(REPLIES, [ids, n]);
      return rows.map(toInteraction);
    },

    /**
     * One transaction (BEGIN; INSERT; UPDATE parent; UPDATE target; INSERT notification;
     * COMMIT). A missing target or parent fails its foreign key or its UPDATE, which rolls
     * everything back. Counters use `+ 1` in SQL, so concurrent comments never lose one.
     */
    async addComment(input, notification) {
      const { target } = input;
      const now = clock();
      const parentId = input.parentId ?? null;
      const row = {
        id: newId(),
        targetType: target.type,
        ...onTarget(target),
        courseId: target.courseId,
        targetOwnerId: target.ownerId,
        userId: input.userId,
        type: input.type,
        content: input.content,
        atSeconds: input.atSeconds ?? null,
        parentId,
        responseVideoId: input.responseVideoId ?? null,
        isFeedback: input.isFeedback ?? false,
        notifyOwnerId: input.userId === target.ownerId ? null : target.ownerId,
        createdAt: now,
      };
      const parentBump = parentId
        ? [
            prisma.interaction.update({
              // Replies are one level deep and stay on their parent's target.
              where: { id: parentId, parentId: null, type: { in: [...COMMENT_TYPES] }, ...onTarget(target) },
              data: { replyCount: { increment: 1 } },
              select: { id: true },
            }),
          ]
        : [];
      const notify = notification ? [writeNotification(prisma, notification, now)] : [];
      try {
        const [created] = await prisma.$transaction([
          prisma.interaction.create({ data: row }),
          ...parentBump,
          bumpComments(prisma, target, 1),
          ...notify,
        ]);
        if (notification) signal.written();
        return toInteraction(created as InteractionRow);
      } catch (error) {
        if (isRecordNotFound(error)) {
          // The parent UPDATE matched nothing (the target's own FK would have failed first).
          throw parentId ? new DataNotFoundError('comment', parentId) : new DataNotFoundError(target.type, target.id);
        }
        throw (
          missingReferenceError(error, {
            interactions_video_id_fkey: ['video', target.id],
            interactions_post_id_fkey: ['post', target.id],
            interactions_parent_id_fkey: ['comment', parentId ?? ''],
            interactions_user_id_fkey: ['user', input.userId],
            interactions_target_owner_id_fkey: ['user', target.ownerId],
            ...notificationRefs(notification),
          }) ?? error
        );
      }
    },

    /**
     * Locks the comment first (FOR UPDATE): a reply being added concurrently holds a key-share
     * lock on it through its foreign key, so it either commits before we count (and is
     * deleted and counted) or waits and then fails its foreign key. Counts stay exact.
     */
    async deleteComment(id) {
      await prisma.$transaction(async (tx) => {
        const [doomed] = await tx.$queryRaw<Pick<InteractionRow, 'parentId' | 'targetType' | 'videoId' | 'postId'>[]>`
          SELECT parent_id AS "parentId", target_type AS "targetType", video_id AS "videoId", post_id AS "postId"
          FROM interactions WHERE id = ${id} AND type IN ('comment', 'response') FOR UPDATE`;
        if (!doomed) throw new DataNotFoundError('comment', id);
        const { count } = await tx.interaction.deleteMany({ where: { OR: [{ id }, { parentId: id }] } });
        const target: TargetRef = {
          type: doomed.targetType,
          id: (doomed.targetType === 'post' ? doomed.postId : doomed.videoId) ?? '',
        };
        await bumpComments(tx, target, -count);
        if (doomed.parentId) {
          await tx.interaction.update({
            where: { id: doomed.parentId },
            data: { replyCount: { decrement: 1 } },
            select: { id: true },
          });
        }
      });
    },

    setLike: (input) => likes.setLike(input),

    /** One `WHERE id IN (...)` on the primary key: like ids are derived from (target, user). */
    async likedBy(userId, targets) {
      if (targets.length === 0) return new Set<string>();
      const rows = await reader.rows<Pick<InteractionRow, 'targetType' | 'videoId' | 'postId'>>(LIKED, [
        [...new Set(targets.map((t) => likeId(t, userId)))],
      ]);
      return new Set(rows.map((r) => (r.targetType === 'post' ? r.postId : r.videoId) ?? ''));
    },

    /**
     * The sparse notify_owner_id column is set only on other people's actions, so this is one
     * range scan of the (notify_owner_id, created_at DESC, id DESC) index.
     */
    async listOnOwnedTargets(ownerId, before, limit) {
      const rows = await readBeyond<InteractionRow>(
        reader,
        ON_OWNED,
        [ownerId],
        feedPosition(before),
        clampLimit(limit),
      );
      return rows.map(toInteraction);
    },
  };
}
