/**
 * Named places where the crash-safety tests (server/crash-safety.test.ts) make the process die
 * with SIGKILL. Each sits between two steps whose gap a real crash could hit. The list lives
 * apart from crashPoint() so config.server.ts can validate CRASH_AT against it.
 */
export const CRASH_POINTS = [
  /** finalize: the upload was checked in storage, the submission is not written yet. */
  'finalize:checked',
  /** grading: the grade and its notification (with the outbox entry) are committed. */
  'grade:committed',
  /** outbox: a batch was handed to its handler (live events sent), not yet marked done. */
  'outbox:delivered',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];
