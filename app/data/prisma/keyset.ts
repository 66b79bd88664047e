/**
 * Keyset pagination over (created_at, id): the cursor holds the last row's sort key, and the
 * next page is `WHERE (created_at, id) beyond it ORDER BY ... LIMIT n + 1` — an index range
 * scan, never OFFSET. The cursor also names its list and scope, so a cursor from another list
 * (or another user's list) is rejected as invalid.
 */
import { decodeCursor, encodeCursor } from '../cursor';
import type { Page } from '../repository';

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
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ l: list, s: scope, t: last.createdAt.toISOString(), k: idOf(last) } satisfies KeysetCursor)
      : null;
  return { items: items.map(map), nextCursor };
}
