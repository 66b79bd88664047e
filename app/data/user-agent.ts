/** How long a stored User-Agent may be (AuthSession.userAgent): enough to name a browser and OS. */
export const USER_AGENT_MAX_LENGTH = 200;

/** The User-Agent as a session keeps it: trimmed, at most 200 characters, null when blank. */
export function storedUserAgent(raw: string | null | undefined): string | null {
  const trimmed = raw?.trim().slice(0, USER_AGENT_MAX_LENGTH).trim();
  return trimmed ? trimmed : null;
}

/** `touch` moves lastSeenAt only this long after the last move: one write a minute at most. */
export const TOUCH_INTERVAL_MS = 60_000;
