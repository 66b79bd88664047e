/**
 * The one list primitive of the coursework tables: a Query on a GSI partition, paginated with
 * an opaque cursor, that keeps querying until the page is full (limit + 1 matching items)
 * or the partition ends. With a FilterExpression DynamoDB applies `Limit` BEFORE the filter,
 * so a single Query could return a short or empty page although matches follow; the loop
 * fixes that, bounded by MAX_QUERY_CALLS (then the page is short but has a cursor).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../cursor';
import { clampLimit, type Page, type PageRequest } from '../repository';
import type { DynamoContext, Item } from './client';

export const MAX_QUERY_CALLS = 20;
/** Items read per call when a filter may drop some (Limit counts items read, not kept). */
const FILTERED_READ = 50;
/** DynamoDB's key size limits: 2048 bytes (hash), 1024 (range); anything longer is forged. */
const MAX_KEY_CHARS = 1024;

export interface ListQuery {
  table: string;
  index: string;
  /** The GSI's partition attribute and the value queried. */
  partitionAttr: string;
  partitionValue: string;
  /** A position in the index: the table key plus the index key, in any order. */
  keyAttrs: readonly string[];
  /** true: newest first (`ScanIndexForward: false`). */
  descending: boolean;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  /** false when the partition value can name nothing (not an id): an empty page, no call. */
  plausible?: boolean;
  /** Query calls per page at most (default MAX_QUERY_CALLS). */
  maxCalls?: number;
}

type Position = Record<string, string>;

/**
 * A cursor is a position of the same query: exactly `keyAttrs`, all non-empty strings,
 * the same partition value. Anything else (tampered, another list's cursor) is rejected.
 */
function positionValidator(q: ListQuery) {
  return (value: unknown): value is Position => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const v = value as Record<string, unknown>;
    return (
      Object.keys(v).length === q.keyAttrs.length &&
      q.keyAttrs.every((a) => typeof v[a] === 'string' && v[a].length > 0 && v[a].length <= MAX_KEY_CHARS) &&
      v[q.partitionAttr] === q.partitionValue
    );
  };
}

const positionOf = (q: ListQuery, item: Record<string, unknown>): Position =>
  Object.fromEntries(q.keyAttrs.map((a) => [a, item[a] as string]));

/** The part of a Query every partition read shares: the index, the partition, the filter. */
function partitionQuery(q: CountQuery) {
  return {
    TableName: q.table,
    IndexName: q.index,
    KeyConditionExpression: '#pk = :pk',
    FilterExpression: q.filter?.expression,
    ExpressionAttributeNames: { '#pk': q.partitionAttr, ...q.filter?.names },
    ExpressionAttributeValues: { ':pk': q.partitionValue, ...q.filter?.values },
  };
}

/** One page of `q`. The cursor is checked first: a forged one fails even for an unknown partition. */
export async function queryPage(ctx: DynamoContext, q: ListQuery, req: PageRequest | undefined): Promise<Page<Item>> {
  let startKey: Record<string, unknown> | undefined = decodeCursor(req?.cursor, positionValidator(q));
  const limit = clampLimit(req?.limit);
  if (q.plausible === false) return { items: [], nextCursor: null };
  const found: Item[] = [];
  for (let calls = 0; calls < (q.maxCalls ?? MAX_QUERY_CALLS); calls++) {
    const needed = limit + 1 - found.length;
    const out = await ctx.doc.send(
      new QueryCommand({
        ...partitionQuery(q),
        ScanIndexForward: !q.descending,
        Limit: q.filter ? Math.max(needed, FILTERED_READ) : needed,
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...((out.Items ?? []) as Item[]));
    startKey = out.LastEvaluatedKey;
    // Full page plus one (so we know a next page exists), or the end of the partition.
    // A 1 MB stop without a filter also just continues here.
    if (found.length > limit || !startKey) break;
  }
  if (found.length > limit) {
    const items = found.slice(0, limit);
    return { items, nextCursor: encodeCursor(positionOf(q, items[limit - 1])) };
  }
  // Either the end (no key) or the call budget ran out: resume after the last item read.
  return { items: found, nextCursor: startKey ? encodeCursor(positionOf(q, startKey)) : null };
}

export interface CountQuery {
  table: string;
  index: string;
  partitionAttr: string;
  partitionValue: string;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/**
 * How many items a GSI partition holds (after the filter): `Select: COUNT`, one call per MB
 * the partition occupies, so a count costs a call or two for any class-sized partition.
 */
export async function countPartition(ctx: DynamoContext, q: CountQuery): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const out = await ctx.doc.send(
      new QueryCommand({
        ...partitionQuery(q),
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}
