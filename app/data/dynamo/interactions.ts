/**
 * classcast-interactions (partition key `id`): real interactions of a video (listed through
 * `videoId-created-index`) and per-day view markers (deduplicate views, expire by TTL).
 */
import type { InteractionRecord, InteractionsRepository, PageRequest } from '../repository';
import { isPlausibleId, type DynamoContext, type Item } from './client';
import { ENTITY, interactionKey, submittedInteractionId, timeSort, viewMarkerId } from './keys';
import { queryPage } from './query';
import { INDEXES } from './tables';

export function toInteraction(item: Item): InteractionRecord {
  return {
    id: item.id as string,
    targetType: (item.targetType as InteractionRecord['targetType'] | undefined) ?? 'video',
    targetId: (item.postId ?? item.videoId) as string,
    videoId: (item.videoId as string | undefined) ?? null,
    postId: (item.postId as string | undefined) ?? null,
    courseId: item.courseId as string,
    targetOwnerId: item.targetOwnerId as string,
    userId: item.userId as string,
    type: item.type as InteractionRecord['type'],
    content: (item.content as string | null | undefined) ?? null,
    atSeconds: (item.atSeconds as number | null | undefined) ?? null,
    parentId: (item.parentId as string | null | undefined) ?? null,
    responseVideoId: (item.responseVideoId as string | null | undefined) ?? null,
    isFeedback: (item.isFeedback as boolean | undefined) ?? false,
    replyCount: (item.replyCount as number | undefined) ?? 0,
    createdAt: item.createdAt as string,
  };
}

/**
 * The "submitted" interaction of a submission's video. Its id is derived from the video,
 * so the create transaction's `attribute_not_exists(id)` makes it exist at most once.
 * `userName`/`userAvatar` (denormalized in the original) are left null: read users instead.
 */
export function submittedInteractionItem(videoId: string, userId: string, createdAt: string): Item {
  const id = submittedInteractionId(videoId);
  return {
    ...interactionKey(id),
    entity: ENTITY.interaction,
    videoId,
    userId,
    type: 'submitted',
    content: null,
    userName: null,
    userAvatar: null,
    createdAt,
    createdSort: timeSort(createdAt, id),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** View markers live this long after their day ends (or after now, for a past day). */
const MARKER_GRACE_DAYS = 3;

/**
 * One viewer's view of one video on one UTC day. It has NO `videoId`/`userId`/`createdSort`
 * (the video is `viewOf`, the viewer `viewerId`), so it is in none of the table's GSIs and
 * never shows up in an interaction list. `expiresAtEpoch` lets DynamoDB TTL delete it.
 */
export function viewMarkerItem(videoId: string, viewerId: string, day: string, now: Date): Item {
  const dayStart = DAY.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(dayStart)) throw new RangeError(`Invalid day "${day}", expected YYYY-MM-DD`);
  const expiresMs = Math.max(dayStart + DAY_MS, now.getTime()) + MARKER_GRACE_DAYS * DAY_MS;
  return {
    ...interactionKey(viewMarkerId(videoId, viewerId, day)),
    entity: ENTITY.viewMarker,
    viewOf: videoId,
    viewerId,
    day,
    createdAt: now.toISOString(),
    expiresAtEpoch: Math.floor(expiresMs / 1000),
  };
}

export function createInteractionsRepository(ctx: DynamoContext): Pick<InteractionsRepository, 'listByVideo'> {
  return {
    /** Newest first. */
    async listByVideo(videoId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table: ctx.tables.interactions,
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
  };
}
