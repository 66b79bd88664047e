import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import {
  clampLimit,
  type FeedWindow,
  type NewVideo,
  type PageRequest,
  type Video,
  type VideoListScope,
  type VideosRepository,
  type Visibility,
} from '../repository';
import { batchGet, cancellationCodes, isPlausibleId, retryOnConflict, type DynamoContext, type Item } from './client';
import { beforeSort, feedByCourses, mergeNewest, queryNewest } from './feed';
import { viewMarkerItem } from './interaction-items';
import { ENTITY, storageKeyClaimKey, timeSort, videoKey } from './keys';
import { queryPage, type ListQuery } from './query';
import { INDEXES } from './tables';

export function toVideo(item: Item): Video {
  return {
    id: item.id as string,
    ownerId: item.ownerId as string,
    courseId: item.courseId as string,
    assignmentId: (item.assignmentId as string | undefined) ?? null,
    submissionId: (item.submissionId as string | null | undefined) ?? null,
    title: item.title as string,
    description: (item.description as string | undefined) ?? '',
    storageKey: item.storageKey as string,
    contentType: item.contentType as string,
    sizeBytes: item.sizeBytes as number,
    durationSeconds: (item.durationSeconds as number | null | undefined) ?? null,
    visibility: item.visibility as Visibility,
    viewCount: (item.viewCount as number | undefined) ?? 0,
    likeCount: (item.likeCount as number | undefined) ?? 0,
    commentCount: (item.commentCount as number | undefined) ?? 0,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

const isVideo = (item: Item | undefined): item is Item => item?.entity === ENTITY.video;

/**
 * A new video with its counters at 0. `assignmentId` is a GSI key, so it is left OUT (not
 * null) for a video without an assignment: it is then simply absent from that index.
 * `classCourseId` exists only on class-visible videos (the sparse feed index). Visibility is
 * written only here (the adapter never changes a stored video's visibility), so this is the
 * one place that keeps the index in step.
 */
export function videoItem(v: NewVideo, now: string): Item {
  const { assignmentId, ...rest } = v;
  return {
    ...videoKey(v.id),
    entity: ENTITY.video,
    ...rest,
    ...(assignmentId ? { assignmentId } : {}),
    ...(v.visibility === 'class' ? { classCourseId: v.courseId } : {}),
    viewCount: 0,
    likeCount: 0,
    commentCount: 0,
    createdAt: now,
    updatedAt: now,
    createdSort: timeSort(now, v.id),
  };
}

/** `videoId = "STORAGEKEY#<key>"`: its existence makes the storage key unique. */
export function storageKeyClaimItem(storageKey: string, videoId: string, now: string): Item {
  return { ...storageKeyClaimKey(storageKey), entity: ENTITY.storageKeyClaim, ownerVideoId: videoId, createdAt: now };
}

type ListAttr = 'courseId' | 'assignmentId' | 'ownerId';
const LIST_INDEX: Record<ListAttr, string> = {
  courseId: INDEXES.videosByCourse,
  assignmentId: INDEXES.videosByAssignment,
  ownerId: INDEXES.videosByOwner,
};

/**
 * Without includePrivate: class-visible videos plus the viewer's own. On the owner index
 * `ownerId` is the partition key, which a filter may not name (and need not: the owner is
 * fixed), so there it is "no filter" for the owner and `visibility = class` for others.
 */
function scopeFilter(attr: ListAttr, value: string, scope: VideoListScope): ListQuery['filter'] {
  if (scope.includePrivate || (attr === 'ownerId' && value === scope.viewerId)) return undefined;
  const names: Record<string, string> = { '#visibility': 'visibility' };
  const values: Record<string, unknown> = { ':class': 'class' };
  if (attr === 'ownerId') return { expression: '#visibility = :class', names, values };
  names['#ownerId'] = 'ownerId';
  values[':viewer'] = scope.viewerId;
  return { expression: '#visibility = :class OR #ownerId = :viewer', names, values };
}

/** Calls on the viewer's own videos per feed window at most (their other courses are skipped). */
const MAX_OWN_FEED_CALLS = 4;

export function createVideosRepository(ctx: DynamoContext): VideosRepository {
  const table = ctx.tables.videos;

  async function getById(id: string): Promise<Video | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: videoKey(id), ConsistentRead: true }));
    return isVideo(out.Item) ? toVideo(out.Item) : null;
  }

  /** Newest first; with a scope filter, queryPage keeps reading until the page is full (bounded). */
  async function list(attr: ListAttr, value: string, scope: VideoListScope, req?: PageRequest) {
    const page = await queryPage(
      ctx,
      {
        table,
        index: LIST_INDEX[attr],
        partitionAttr: attr,
        partitionValue: value,
        keyAttrs: ['videoId', attr, 'createdSort'],
        descending: true,
        plausible: isPlausibleId(value),
        filter: scopeFilter(attr, value, scope),
      },
      req,
    );
    return { items: page.items.map(toVideo), nextCursor: page.nextCursor };
  }

  /**
   * The viewer's own videos (any visibility) in the window's courses, newest first: one Query
   * on the owner index, more only when videos of other courses crowd the first read out.
   * `frontier` is the last position read when the budget ran out before `limit` were found.
   */
  async function ownInCourses(viewerId: string, courses: Set<string>, before: string | null, limit: number) {
    const found: Item[] = [];
    if (!isPlausibleId(viewerId) || courses.size === 0) return { items: found, frontier: null };
    const idx = { table, index: INDEXES.videosByOwner, partitionAttr: 'ownerId', sortAttr: 'createdSort' };
    let startKey: Record<string, unknown> | undefined;
    for (let calls = 0; calls < MAX_OWN_FEED_CALLS; calls++) {
      const out = await queryNewest(ctx, idx, { partitionValue: viewerId, before, limit, startKey });
      found.push(...out.items.filter((v) => isVideo(v) && courses.has(v.courseId as string)));
      startKey = out.lastKey;
      if (found.length >= limit || !startKey) return { items: found, frontier: null };
    }
    return { items: found, frontier: String(startKey!.createdSort) };
  }

  return {
    getById,

    async getMany(ids: readonly string[]): Promise<Video[]> {
      const unique = [...new Set(ids)].filter(isPlausibleId);
      if (unique.length === 0) return [];
      const items = await batchGet(ctx, table, unique.map(videoKey));
      const byId = new Map(items.filter(isVideo).map((i) => [i.id as string, toVideo(i)]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    },

    listByCourse: (courseId, scope, req) => list('courseId', courseId, scope, req),
    listByAssignment: (assignmentId, scope, req) => list('assignmentId', assignmentId, scope, req),
    listByOwner: (ownerId, scope, req) => list('ownerId', ownerId, scope, req),

    async listForFeed(window: FeedWindow, viewerId: string): Promise<Video[]> {
      const limit = clampLimit(window.limit);
      const courses = new Set(window.courseIds);
      const [classVideos, own] = await Promise.all([
        feedByCourses(
          ctx,
          { table, index: INDEXES.classVideosByCourse, partitionAttr: 'classCourseId', sortAttr: 'createdSort' },
          window,
        ),
        ownInCourses(viewerId, courses, beforeSort(window.before), limit),
      ]);
      // Own videos past the frontier of a cut-short read may hide older own ones: stop there.
      const merged = mergeNewest([classVideos, own.items], 'createdSort', limit);
      const complete = own.frontier === null ? merged : merged.filter((v) => String(v.createdSort) >= own.frontier!);
      return complete.map(toVideo);
    },

    async recordView(videoId: string, viewerId: string, day: string) {
      if (!isPlausibleId(videoId)) throw new DataNotFoundError('video', videoId);
      if (!isPlausibleId(viewerId)) throw new DataNotFoundError('user', viewerId);
      const marker = viewMarkerItem(videoId, viewerId, day, ctx.now());
      let counted = true;
      try {
        // The marker's condition makes the view count once per viewer per day; the counter
        // moves in the same transaction, so count and markers never disagree.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: ctx.tables.interactions,
                    Item: marker,
                    ConditionExpression: 'attribute_not_exists(id)',
                  },
                },
                {
                  Update: {
                    TableName: table,
                    Key: videoKey(videoId),
                    UpdateExpression: 'ADD #viewCount :one',
                    ConditionExpression: 'attribute_exists(videoId) AND #entity = :video',
                    ExpressionAttributeNames: { '#viewCount': 'viewCount', '#entity': 'entity' },
                    ExpressionAttributeValues: { ':one': 1, ':video': ENTITY.video },
                  },
                },
              ],
            }),
          ),
        );
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[1] === 'ConditionalCheckFailed') throw new DataNotFoundError('video', videoId);
        if (codes?.[0] !== 'ConditionalCheckFailed') throw err;
        counted = false; // already counted today
      }
      // Transactions return no values: read the count back (consistent; it may already
      // include views that other viewers recorded a moment later).
      const video = await getById(videoId);
      if (!video) throw new DataNotFoundError('video', videoId);
      return { counted, viewCount: video.viewCount };
    },
  };
}
