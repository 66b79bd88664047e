import { monotonicFactory } from 'ulid';

/** Monotonic so ids made in the same millisecond still sort in creation order. */
const ulid = monotonicFactory();

/** The one id generator: ULIDs are time-sortable, so "newest first" is an id sort. */
export function newId(): string {
  return ulid();
}
