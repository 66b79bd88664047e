/**
 * One feed-source window in ONE query whose work is bounded by courses × limit, whatever the
 * data: a plain `course_id IN (...) ORDER BY time DESC LIMIT n` makes Postgres read every row
 * of those courses and sort them, so instead each course walks its own
 * (course_id, time DESC, id DESC) index for at most `limit` rows (a LATERAL subquery per
 * course), and the outer query merges those short runs.
 */
import { clampLimit, type FeedWindow } from '../repository';
import { Prisma } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { feedPosition } from './keyset';

export const VIDEO_COLUMNS = Prisma.sql`id, owner_id AS "ownerId", course_id AS "courseId",
  assignment_id AS "assignmentId", submission_id AS "submissionId", title, description,
  storage_key AS "storageKey", content_type AS "contentType", size_bytes AS "sizeBytes",
  duration_seconds AS "durationSeconds", visibility, view_count AS "viewCount", like_count AS "likeCount",
  comment_count AS "commentCount", created_at AS "createdAt", updated_at AS "updatedAt"`;

export const POST_COLUMNS = Prisma.sql`id, course_id AS "courseId", author_id AS "authorId", title, body,
  is_announcement AS "isAnnouncement", like_count AS "likeCount", comment_count AS "commentCount",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export const ASSIGNMENT_COLUMNS = Prisma.sql`id, course_id AS "courseId", instructor_id AS "instructorId",
  title, description, due_date AS "dueDate", max_score AS "maxScore", status, visibility,
  published_at AS "publishedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

interface FeedSource {
  /** Fixed identifiers (never user input): the table, its time column and that column's alias. */
  table: 'videos' | 'posts' | 'assignments';
  timeColumn: 'created_at' | 'published_at';
  timeAlias: 'createdAt' | 'publishedAt';
  columns: Prisma.Sql;
  /** Extra conditions on the source's rows (visibility, status), over columns of `t`. */
  filter: Prisma.Sql;
}

export async function readFeedWindow<Row>(
  prisma: PrismaClient,
  source: FeedSource,
  window: FeedWindow,
): Promise<Row[]> {
  const courseIds = [...new Set(window.courseIds)];
  if (courseIds.length === 0) return [];
  const limit = clampLimit(window.limit);
  const before = feedPosition(window.before);
  const time = Prisma.raw(`t.${source.timeColumn}`);
  const beforeSql = before
    ? Prisma.sql`AND ${time} <= ${before.at.toISOString()}::timestamptz
        AND (${time} < ${before.at.toISOString()}::timestamptz OR t.id < ${before.id})`
    : Prisma.empty;
  const alias = Prisma.raw(`w."${source.timeAlias}"`);
  return prisma.$queryRaw<Row[]>`
    SELECT w.* FROM unnest(ARRAY[${Prisma.join(courseIds)}]::text[]) AS c(id)
    CROSS JOIN LATERAL (
      SELECT ${source.columns} FROM ${Prisma.raw(source.table)} AS t
      WHERE t.course_id = c.id AND ${source.filter} ${beforeSql}
      ORDER BY ${time} DESC, t.id DESC
      LIMIT ${limit}
    ) AS w
    ORDER BY ${alias} DESC, w.id DESC
    LIMIT ${limit}`;
}
