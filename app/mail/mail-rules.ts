/**
 * Which notifications become mail, shared by the fan-out (when a notification is delivered)
 * and the sender (which checks again at send time, so a preference turned off in between wins).
 */
import type { MailPreferences, Notification, NotificationType, User } from '~/data/repository';

/** The notification types mailed on their own, each under its own preference. */
const IMMEDIATE: Partial<Record<NotificationType, keyof MailPreferences>> = {
  grade: 'grades',
  message: 'messages',
  announcement: 'announcements',
};

export type ImmediatePreference = 'grades' | 'messages' | 'announcements';

export function immediatePreference(type: NotificationType): ImmediatePreference | null {
  return (IMMEDIATE[type] as ImmediatePreference | undefined) ?? null;
}

/** Mailed on its own now: an immediate type whose preference is on. */
export function mailsImmediately(user: Pick<User, 'mailPreferences'>, type: NotificationType): boolean {
  const pref = immediatePreference(type);
  return pref !== null && user.mailPreferences[pref];
}

/** Everything not mailed on its own goes into the digest, for a user who has it on. */
export function belongsInDigest(user: Pick<User, 'mailPreferences'>, n: Pick<Notification, 'type'>): boolean {
  return user.mailPreferences.digest && !mailsImmediately(user, n.type);
}

/** Who receives anything but account mail: enabled and verified. */
export function receivesMail(user: Pick<User, 'disabledAt' | 'emailVerified'>): boolean {
  return user.disabledAt === null && user.emailVerified;
}

/** The UTC day (YYYY-MM-DD) of an ISO time. */
export function utcDay(iso: string): string {
  return iso.slice(0, 10);
}

/** The first instant after the UTC day: when its digest is due. */
export function endOfUtcDay(day: string): string {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  return new Date(start + 86_400_000).toISOString();
}

/** One key per event: a second enqueue of the same event adds nothing (docs/decisions/025-mail.md). */
export const MAIL_DEDUPE_KEYS = {
  token: (tokenId: string) => `mail:token:${tokenId}`,
  /** A collapsed notification that moved up (a new message in the thread) is a new event. */
  notification: (notificationId: string, createdAt: string) => `mail:notification:${notificationId}:${createdAt}`,
  digest: (userId: string, day: string) => `mail:digest:${userId}:${day}`,
};
