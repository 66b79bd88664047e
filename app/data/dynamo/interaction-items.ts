/**
 * Item shapes of classcast-interactions (docs/dynamodb.md): comments, responses, replies,
 * likes, the "submitted" marker and per-day view markers. Which sparse GSI an item is in
 * follows from the attributes it carries, so each builder decides its index membership.
 */
import type { InteractionRecord, InteractionTarget, NewComment, Video } from '../repository';
import { likeId } from '../repository';
import type { Item } from './client';
import { ENTITY, interactionKey, submittedInteractionId, timeSort, viewMarkerId } from './keys';

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
export function submittedInteractionItem(
  video: Pick<Video, 'id' | 'courseId' | 'ownerId'>,
  userId: string,
  createdAt: string,
): Item {
  const id = submittedInteractionId(video.id);
  return {
    ...interactionKey(id),
    entity: ENTITY.interaction,
    targetType: 'video',
    videoId: video.id,
    courseId: video.courseId,
    targetOwnerId: video.ownerId,
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

/** `video#<id>` / `post#<id>`: the partition of a target's top-level comments. */
export const commentTargetOf = (target: Pick<InteractionTarget, 'type' | 'id'>) => `${target.type}#${target.id}`;

/** Attributes every interaction on a target carries; `notifyOwnerId` only when someone else wrote it. */
function onTarget(target: InteractionTarget, userId: string) {
  return {
    entity: ENTITY.interaction,
    targetType: target.type,
    ...(target.type === 'video' ? { videoId: target.id } : { postId: target.id }),
    courseId: target.courseId,
    targetOwnerId: target.ownerId,
    userId,
    ...(userId !== target.ownerId ? { notifyOwnerId: target.ownerId } : {}),
  };
}

/**
 * A comment/response (top level: in the target's comment index) or a reply (in its
 * parent's reply index instead). Absent optional fields stay absent, not null, because
 * `parentId` is an index key.
 */
export function commentItem(input: NewComment, id: string, createdAt: string): Item {
  const parentId = input.parentId ?? null;
  return {
    ...interactionKey(id),
    ...onTarget(input.target, input.userId),
    type: input.type,
    content: input.content,
    atSeconds: input.atSeconds ?? null,
    ...(parentId ? { parentId } : { commentTarget: commentTargetOf(input.target) }),
    responseVideoId: input.responseVideoId ?? null,
    isFeedback: input.isFeedback ?? false,
    replyCount: 0,
    createdAt,
    createdSort: timeSort(createdAt, id),
  };
}

/** The like of (target, user): its id is derived, so the Put's condition makes it unique. */
export function likeItem(target: InteractionTarget, userId: string, createdAt: string): Item {
  const id = likeId(target, userId);
  return {
    ...interactionKey(id),
    ...onTarget(target, userId),
    type: 'like',
    content: null,
    createdAt,
    createdSort: timeSort(createdAt, id),
  };
}

export const isInteraction = (item: Item | undefined): item is Item => item?.entity === ENTITY.interaction;
export const isComment = (item: Item | undefined): item is Item =>
  isInteraction(item) && (item.type === 'comment' || item.type === 'response');
