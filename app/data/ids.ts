import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Monotonic so ids made in the same millisecond still sort in creation order. */
const ulid = monotonicFactory();

/** The one id generator: ULIDs are time-sortable, so "newest first" is an id sort. */
export function newId(): string {
  return ulid();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id of the one notification that collapses `collapseKey` events for a recipient
 * (see NewNotification.collapseKey). Shaped like a ULID (26 Crockford base-32 characters, the
 * first 0-7) so it passes the same id checks as every other notification id; clients treat
 * ids as opaque anyway. Derived, so two processes collapsing at once write the same row.
 */
export function collapsedNotificationId(recipientId: string, collapseKey: string): string {
  const digest = createHash('sha256').update(`${recipientId}\u0000${collapseKey}`).digest();
  let id = CROCKFORD[digest[0]! & 7]!;
  for (let i = 1; i < 26; i += 1) id += CROCKFORD[digest[i]! & 31]!;
  return id;
}
