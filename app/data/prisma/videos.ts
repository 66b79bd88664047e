import { DataNotFoundError } from '../errors';
import {
  clampLimit,
  type Page,
  type PageRequest,
  type Video,
  type VideoListScope,
  type VideosRepository,
} from '../repository';
import type { Video as VideoRow } from '../../../generated/prisma/client';
import { feedStatements, readFeedWindow } from './feed-windows';
import type { PrismaClient } from './client';
import { VIDEO } from './columns';
import { keysetPage, readKeyset } from './keyset';
import { keysetStatements, readKeysetRows, statement, type Reader, type WireRow } from './statements';
import { toVideo } from './coursework-mapping';
import { missingReferenceError } from './mapping';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

type ListKey = 'course_id' | 'assignment_id' | 'owner_id';
const newestFirst = { at: 'created_at', id: 'id', dir: 'DESC' } as const;
/** Per list key: everything (the viewer may see private videos) or class videos plus the viewer's own. */
const listStatements = (name: string, key: ListKey) => ({
  all: keysetStatements(`videos.${name}`, `SELECT ${VIDEO} FROM videos WHERE ${key} = $1`, 1, newestFirst),
  visible: keysetStatements(
    `videos.${name}Visible`,
    `SELECT ${VIDEO} FROM videos WHERE ${key} = $1 AND (visibility = 'class' OR owner_id = $2)`,
    2,
    newestFirst,
  ),
});
const LISTS = {
  byCourse: listStatements('byCourse', 'course_id'),
  byAssignment: listStatements('byAssignment', 'assignment_id'),
  byOwner: listStatements('byOwner', 'owner_id'),
};
const BY_ID = statement('videos.byId', `SELECT ${VIDEO} FROM videos WHERE id = $1`);
const VIEW_COUNT = statement('videos.viewCount', `SELECT view_count AS "viewCount" FROM videos WHERE id = $1`);
const BY_IDS = statement('videos.byIds', `SELECT ${VIDEO} FROM videos WHERE id = ANY($1::text[])`);
const FEED = feedStatements('videos.feed', {
  table: 'videos',
  timeColumn: 'created_at',
  timeAlias: 'createdAt',
  columns: VIDEO,
  filter: `(t.visibility = 'class' OR t.owner_id = $2)`,
  filterParams: 1,
});

export function prismaVideos(prisma: PrismaClient, reader: Reader): VideosRepository {
  /**
   * Newest first within one course / assignment / owner: ORDER BY created_at DESC, id DESC on
   * the matching (key, created_at DESC, id DESC) index. The visibility filter is part of the
   * WHERE clause, before LIMIT, so pages are always full. The cursor is bound to the list,
   * its key and the viewer's scope.
   */
  async function list(
    name: keyof typeof LISTS,
    keyValue: string,
    scope: VideoListScope,
    page: PageRequest,
  ): Promise<Page<Video>> {
    const limit = clampLimit(page.limit);
    const listName = `videos.${name}`;
    const cursorScope = `${keyValue}|${scope.viewerId}|${scope.includePrivate ? 'all' : 'class'}`;
    const after = readKeyset(page.cursor, listName, cursorScope);
    const rows = scope.includePrivate
      ? await readKeysetRows<WireRow<VideoRow>>(reader, LISTS[name].all, [keyValue], after, limit)
      : await readKeysetRows<WireRow<VideoRow>>(reader, LISTS[name].visible, [keyValue, scope.viewerId], after, limit);
    return keysetPage(rows, limit, listName, cursorScope, (r) => r.id, toVideo);
  }

  return {
    async getById(id) {
      const [row] = await reader.rows<WireRow<VideoRow>>(BY_ID, [id]);
      return row ? toVideo(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await reader.rows<WireRow<VideoRow>>(BY_IDS, [[...new Set(ids)]]);
      return rows.map(toVideo);
    },

    listByCourse: (courseId, scope, page = {}) => list('byCourse', courseId, scope, page),
    listByAssignment: (assignmentId, scope, page = {}) => list('byAssignment', assignmentId, scope, page),
    listByOwner: (ownerId, scope, page = {}) => list('byOwner', ownerId, scope, page),

    async recordView(videoId, viewerId, day) {
      if (!DAY.test(day)) throw new TypeError(`day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
      let counted: { view_count: number }[];
      try {
        // ONE statement, so one transaction: the view row is inserted unless that viewer
        // already has one for the day (a concurrent duplicate waits for the first insert to
        // commit, then inserts nothing), and only an inserted row bumps the counter, with a
        // row-locking UPDATE. Exactly one of any number of concurrent duplicates counts.
        counted = await prisma.$queryRaw<{ view_count: number }[]>`
          WITH inserted AS (
            INSERT INTO video_views (video_id, viewer_id, day)
            VALUES (${videoId}, ${viewerId}, ${day}::date)
            ON CONFLICT DO NOTHING
            RETURNING video_id
          )
          UPDATE videos SET view_count = view_count + 1
          WHERE id IN (SELECT video_id FROM inserted)
          RETURNING view_count`;
      } catch (error) {
        throw (
          missingReferenceError(error, {
            video_views_video_id_fkey: ['video', videoId],
            video_views_viewer_id_fkey: ['user', viewerId],
          }) ?? error
        );
      }
      if (counted[0]) return { counted: true, viewCount: Number(counted[0].view_count) };
      // Already counted today: report the current count (a fresh read, so it includes the
      // increment of a concurrent duplicate that won).
      const [row] = await reader.rows<{ viewCount: number }>(VIEW_COUNT, [videoId]);
      if (!row) throw new DataNotFoundError('video', videoId);
      return { counted: false, viewCount: row.viewCount };
    },

    /** Class-visible videos plus the viewer's own, per course on (course_id, created_at DESC, id DESC). */
    async listForFeed(window, viewerId) {
      const rows = await readFeedWindow<WireRow<VideoRow>>(reader, FEED, window, [viewerId]);
      return rows.map(toVideo);
    },
  };
}
