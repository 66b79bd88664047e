import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import { clampLimit, systemClock, type Clock, type Post, type PostPatch, type PostsRepository } from '../repository';
import type { Post as PostRow } from '../../../generated/prisma/client';
import { feedStatements, readFeedWindow } from './feed-windows';
import type { PrismaClient } from './client';
import { POST } from './columns';
import { keysetPage, readKeyset } from './keyset';
import { keysetStatements, readKeysetRows, statement, type Reader } from './statements';
import { isRecordNotFound, missingReferenceError, pick } from './mapping';

const PATCHABLE = ['title', 'body', 'isAnnouncement'] as const satisfies readonly (keyof PostPatch)[];

const iso = (date: Date): string => date.toISOString();

const BY_ID = statement('posts.byId', `SELECT ${POST} FROM posts WHERE id = $1`);
const BY_IDS = statement('posts.byIds', `SELECT ${POST} FROM posts WHERE id = ANY($1::text[])`);
/** Newest first on the (course_id, created_at DESC, id DESC) index. */
const BY_COURSE = keysetStatements('posts.byCourse', `SELECT ${POST} FROM posts WHERE course_id = $1`, 1, {
  at: 'created_at',
  id: 'id',
  dir: 'DESC',
});
const FEED = feedStatements('posts.feed', {
  table: 'posts',
  timeColumn: 'created_at',
  timeAlias: 'createdAt',
  columns: POST,
  filter: 'TRUE',
  filterParams: 0,
});

export function toPost(row: PostRow): Post {
  return {
    id: row.id,
    courseId: row.courseId,
    authorId: row.authorId,
    title: row.title,
    body: row.body,
    isAnnouncement: row.isAnnouncement,
    likeCount: row.likeCount,
    commentCount: row.commentCount,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function prismaPosts(prisma: PrismaClient, reader: Reader, clock: Clock = systemClock): PostsRepository {
  return {
    async create(input) {
      const now = clock();
      try {
        const row = await prisma.post.create({
          data: {
            id: newId(),
            courseId: input.courseId,
            authorId: input.authorId,
            title: input.title,
            body: input.body,
            isAnnouncement: input.isAnnouncement,
            createdAt: now,
            updatedAt: now,
          },
        });
        return toPost(row);
      } catch (error) {
        throw (
          missingReferenceError(error, {
            posts_course_id_fkey: ['course', input.courseId],
            posts_author_id_fkey: ['user', input.authorId],
          }) ?? error
        );
      }
    },

    async getById(id) {
      const [row] = await reader.rows<PostRow>(BY_ID, [id]);
      return row ? toPost(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await reader.rows<PostRow>(BY_IDS, [[...new Set(ids)]]);
      return rows.map(toPost);
    },

    async update(id, patch) {
      try {
        const row = await prisma.post.update({
          where: { id },
          data: { ...pick(patch, PATCHABLE), updatedAt: clock() },
        });
        return toPost(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('post', id);
        throw error;
      }
    },

    /** The foreign keys cascade: its likes, comments and their replies go with it. */
    async delete(id) {
      try {
        await prisma.post.delete({ where: { id }, select: { id: true } });
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('post', id);
        throw error;
      }
    },

    /** Newest first on the (course_id, created_at DESC, id DESC) index. */
    async listByCourse(courseId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'posts.byCourse', courseId);
      const rows = await readKeysetRows<PostRow>(reader, BY_COURSE, [courseId], after, limit);
      return keysetPage(rows, limit, 'posts.byCourse', courseId, (r) => r.id, toPost);
    },

    /** Per course on (course_id, created_at DESC, id DESC), merged: see feed-windows.ts. */
    async listForFeed(window) {
      return (await readFeedWindow<PostRow>(reader, FEED, window)).map(toPost);
    },
  };
}
