/**
 * Feed sources: one Query per course on a sparse time-sorted GSI, each bounded by the
 * window (`sort < <before.at>#<before.id>`, `Limit = window.limit`), merged newest first and
 * trimmed. Every course's newest `limit` items are read, so the merged top `limit` is exact.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { clampLimit, type FeedPosition, type FeedWindow } from '../repository';
import { isPlausibleId, type DynamoContext, type Item } from './client';
import { timeSort } from './keys';

export interface FeedIndex {
  table: string;
  index: string;
  partitionAttr: string;
  sortAttr: string;
}

/** The key condition value "strictly older than `before`" (time, then id, both descending). */
export const beforeSort = (before: FeedPosition | null): string | null =>
  before ? timeSort(before.at, before.id) : null;

export interface PartitionWindow {
  partitionValue: string;
  before: string | null;
  limit: number;
  startKey?: Record<string, unknown>;
}

/** One Query: the newest items of one partition strictly before the window's position. */
export async function queryNewest(
  ctx: DynamoContext,
  idx: FeedIndex,
  w: PartitionWindow,
): Promise<{ items: Item[]; lastKey: Record<string, unknown> | undefined }> {
  const out = await ctx.doc.send(
    new QueryCommand({
      TableName: idx.table,
      IndexName: idx.index,
      KeyConditionExpression: w.before === null ? '#pk = :pk' : '#pk = :pk AND #sort < :before',
      ExpressionAttributeNames: { '#pk': idx.partitionAttr, ...(w.before === null ? {} : { '#sort': idx.sortAttr }) },
      ExpressionAttributeValues: { ':pk': w.partitionValue, ...(w.before === null ? {} : { ':before': w.before }) },
      ScanIndexForward: false,
      Limit: w.limit,
      ExclusiveStartKey: w.startKey,
    }),
  );
  return { items: (out.Items ?? []) as Item[], lastKey: out.LastEvaluatedKey };
}

/** DynamoDB's order of string keys (code units; locale collation would differ on `#`, case...). */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first by the sort attribute, duplicates (by `id`) dropped, at most `limit`. */
export function mergeNewest(lists: Item[][], sortAttr: string, limit: number): Item[] {
  const seen = new Set<string>();
  return lists
    .flat()
    .sort((a, b) => byteOrder(String(b[sortAttr]), String(a[sortAttr])))
    .filter((item) => {
      const id = item.id as string;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .slice(0, limit);
}

/** The feed window over `courseIds`: one Query per (distinct, plausible) course. */
export async function feedByCourses(ctx: DynamoContext, idx: FeedIndex, window: FeedWindow): Promise<Item[]> {
  const limit = clampLimit(window.limit);
  const before = beforeSort(window.before);
  const courses = [...new Set(window.courseIds)].filter(isPlausibleId);
  const perCourse = await Promise.all(
    courses.map(async (partitionValue) => (await queryNewest(ctx, idx, { partitionValue, before, limit })).items),
  );
  return mergeNewest(perCourse, idx.sortAttr, limit);
}
