/**
 * One feed-source window in ONE query whose work is bounded by courses × limit, whatever the
 * data: a plain `course_id IN (...) ORDER BY time DESC LIMIT n` makes Postgres read every row
 * of those courses and sort them, so instead each course walks its own
 * (course_id, time DESC, id DESC) index for at most `limit` rows (a LATERAL subquery per
 * course), and the outer query merges those short runs. Prepared statements (statements.ts):
 * the course ids are one array parameter, so each source has two fixed texts.
 */
import { clampLimit, type FeedWindow } from '../repository';
import { feedPosition } from './keyset';
import { statement, type Reader, type Statement } from './statements';

interface FeedSource {
  /** Fixed identifiers (never user input): the table, its time column and that column's alias. */
  table: 'videos' | 'posts' | 'assignments';
  timeColumn: 'created_at' | 'published_at';
  timeAlias: 'createdAt' | 'publishedAt';
  columns: string;
  /** Extra conditions on the source's rows (visibility, status), over columns of `t`; `$2`.. are its values. */
  filter: string;
  filterParams: number;
}

export interface FeedStatements {
  first: Statement;
  before: Statement;
  filterParams: number;
}

export function feedStatements(name: string, source: FeedSource): FeedStatements {
  const time = `t.${source.timeColumn}`;
  const n = source.filterParams + 1;
  const text = (beforeSql: string, limit: string) => `
    SELECT w.* FROM unnest($1::text[]) AS c(id)
    CROSS JOIN LATERAL (
      SELECT ${source.columns} FROM ${source.table} AS t
      WHERE t.course_id = c.id AND ${source.filter} ${beforeSql}
      ORDER BY ${time} DESC, t.id DESC
      LIMIT ${limit}
    ) AS w
    ORDER BY w."${source.timeAlias}" DESC, w.id DESC
    LIMIT ${limit}`;
  const t = `$${n + 1}::timestamptz`;
  return {
    first: statement(`${name}.first`, text('', `$${n + 1}`)),
    before: statement(
      `${name}.before`,
      text(`AND ${time} <= ${t} AND (${time} < ${t} OR t.id < $${n + 2})`, `$${n + 3}`),
    ),
    filterParams: source.filterParams,
  };
}

export async function readFeedWindow<Row>(
  reader: Reader,
  source: FeedStatements,
  window: FeedWindow,
  filterValues: readonly unknown[] = [],
): Promise<Row[]> {
  if (filterValues.length !== source.filterParams) throw new Error(`${source.first.name}: wrong filter values`);
  const courseIds = [...new Set(window.courseIds)];
  if (courseIds.length === 0) return [];
  const limit = clampLimit(window.limit);
  const before = feedPosition(window.before);
  return before
    ? reader.rows<Row>(source.before, [courseIds, ...filterValues, before.at, before.id, limit])
    : reader.rows<Row>(source.first, [courseIds, ...filterValues, limit]);
}
