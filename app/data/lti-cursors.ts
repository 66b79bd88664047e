/**
 * The LTI lists' cursors, as both adapters encode them (cursor.ts): each names its list and
 * scope, so one from another list, or another course's roster, is rejected as invalid.
 */
export interface PlatformCursor extends Record<string, unknown> {
  l: 'lti.platforms';
  /** The last platform's name, then its id: the list's order. */
  n: string;
  k: string;
}

export interface MembershipCursor extends Record<string, unknown> {
  l: 'lti.memberships';
  /** The course whose memberships are listed. */
  s: string;
  /** The last member's user id. */
  k: string;
}

export const isPlatformCursor = (v: unknown): v is PlatformCursor => {
  const c = v as Partial<PlatformCursor> | null;
  return (
    typeof c === 'object' && c !== null && c.l === 'lti.platforms' && typeof c.n === 'string' && typeof c.k === 'string'
  );
};

/** `isKey` adds what an adapter requires of the key it will read from (e.g. a plausible id). */
export const membershipCursorFor =
  (courseId: string, isKey: (key: string) => boolean = () => true) =>
  (v: unknown): v is MembershipCursor => {
    const c = v as Partial<MembershipCursor> | null;
    return (
      typeof c === 'object' &&
      c !== null &&
      c.l === 'lti.memberships' &&
      c.s === courseId &&
      typeof c.k === 'string' &&
      isKey(c.k)
    );
  };
