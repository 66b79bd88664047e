/**
 * Keyset pagination over (created_at, id) — or another timestamp such as due_date or
 * submitted_at, with keysetPageBy: the cursor holds the last row's sort key, and the
 * next page is `WHERE (created_at, id) beyond it ORDER BY ... LIMIT n + 1` — an index range
 * scan, never OFFSET. The cursor also names its list and scope, so a cursor from another list
 * (or another user's list) is rejected as invalid.
 */
import { decodeCursor, encodeCursor } from '../cursor';
import { InvalidCursorError } from '../errors';
import type { FeedPosition, Page } from '../repository';

interface KeysetCursor extends Record<string, unknown> {
  /** Which list ('enrollments.byUser', ...). */
  l: string;
  /** The list's scope (the user or course id). */
  s: string;
  /** created_at of the last row, ISO-8601. */
  t: string;
  /** Tie-breaking id of the last row. */
  k: string;
}

export function readKeyset(
  cursor: string | null | undefined,
  list: string,
  scope: string,
): { at: Date; id: string } | undefined {
  const isValid = (value: unknown): value is KeysetCursor => {
    const v = value as Partial<KeysetCursor> | null;
    return (
      typeof v === 'object' &&
      v !== null &&
      v.l === list &&
      v.s === scope &&
      typeof v.t === 'string' &&
      !Number.isNaN(Date.parse(v.t)) &&
      typeof v.k === 'string'
    );
  };
  const value = decodeCursor(cursor, isValid);
  return value && { at: new Date(value.t), id: value.k };
}

/** Turns `limit + 1` fetched rows into a page; the extra row only says "there is more". */
export function keysetPage<Row extends { createdAt: Date }, Item>(
  rows: Row[],
  limit: number,
  list: string,
  scope: string,
  idOf: (row: Row) => string,
  map: (row: Row) => Item,
): Page<Item> {
  return keysetPageBy(rows, limit, list, scope, (row) => ({ at: row.createdAt, id: idOf(row) }), map);
}

/** keysetPage for lists sorted on another timestamp (due_date, submitted_at, ...). */
export function keysetPageBy<Row, Item>(
  rows: Row[],
  limit: number,
  list: string,
  scope: string,
  keyOf: (row: Row) => { at: Date; id: string },
  map: (row: Row) => Item,
): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const key = rows.length > limit && last ? keyOf(last) : undefined;
  const nextCursor = key
    ? encodeCursor({ l: list, s: scope, t: key.at.toISOString(), k: key.id } satisfies KeysetCursor)
    : null;
  return { items: items.map(map), nextCursor };
}

type Cmp<Op extends string, V> = { [O in Op]?: V };
type On<F extends string, Op extends string, V> = { [P in F]?: Cmp<Op, V> };
export type KeysetWhere<At extends string, Id extends string> = On<At, 'lte' | 'gte', Date> & {
  OR?: (On<At, 'lt' | 'gt', Date> | On<Id, 'lt' | 'gt', string>)[];
};

/**
 * The WHERE part for rows strictly beyond the cursor in (at, id) order, spelled so that
 * `at <= t` (or `>= t`) bounds the index range scan:
 *   desc: at <= t AND (at < t OR id < k)      asc: at >= t AND (at > t OR id > k)
 * Put it in an AND list when the query has other OR conditions. No cursor → no condition.
 */
export function keysetWhere<At extends string, Id extends string>(
  after: { at: Date; id: string } | undefined,
  atField: At,
  idField: Id,
  order: 'asc' | 'desc',
): KeysetWhere<At, Id> {
  if (!after) return {};
  const [inclusive, strict] = order === 'desc' ? (['lte', 'lt'] as const) : (['gte', 'gt'] as const);
  return {
    [atField]: { [inclusive]: after.at },
    OR: [{ [atField]: { [strict]: after.at } }, { [idField]: { [strict]: after.id } }],
  } as KeysetWhere<At, Id>;
}

/**
 * A feed window's `before` as a keyset position. The feed service builds it from its own
 * cursor, so an unparsable time means a tampered cursor: InvalidCursorError, not a 500.
 */
export function feedPosition(before: FeedPosition | null): { at: Date; id: string } | undefined {
  if (!before) return undefined;
  const at = new Date(before.at);
  if (Number.isNaN(at.getTime()) || typeof before.id !== 'string') throw new InvalidCursorError();
  return { at, id: before.id };
}
