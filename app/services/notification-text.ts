/**
 * What people read for a notification, and where it takes them: one pure function used by the
 * page, the bell and the API, so a collapsed like reads the same everywhere. Stored text is the
 * latest event's; the collapsed sentence is derived from it and the actor count.
 */
import type { Notification } from '~/data/repository';

export interface NotificationText {
  title: string;
  message: string;
  /** A same-origin path: what the notification is about. */
  link: string;
}

/** A path on our own origin (`/x`), never `//host`, `/\host` or a scheme: safe to redirect to. */
export function isSameOriginPath(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) return false;
  try {
    const base = 'http://classcast.invalid';
    return new URL(value, base).origin === base;
  } catch {
    return false;
  }
}

/** Where a notification without a usable actionUrl points, by what it is about. */
function relatedPath(n: Pick<Notification, 'type' | 'relatedId' | 'relatedType' | 'senderId'>): string {
  const id = n.relatedId ? encodeURIComponent(n.relatedId) : null;
  switch (n.relatedType) {
    case 'video':
      if (id) return `/videos/${id}`;
      break;
    case 'post':
      if (id) return `/community/posts/${id}`;
      break;
    case 'submission':
      if (id) return `/submissions/${id}`;
      break;
    case 'assignment':
      if (id) return `/assignments/${id}`;
      break;
    case 'course':
      if (id) return `/courses/${id}`;
      break;
    case 'connection':
      return '/connections';
  }
  if (n.type === 'message') return n.senderId ? `/messages/${encodeURIComponent(n.senderId)}` : '/messages';
  if (n.type === 'connection_request' || n.type === 'connection_accepted' || n.type === 'connection') {
    return '/connections';
  }
  return '/notifications';
}

export function notificationLink(
  n: Pick<Notification, 'type' | 'relatedId' | 'relatedType' | 'senderId' | 'actionUrl'>,
): string {
  return n.actionUrl && isSameOriginPath(n.actionUrl) ? n.actionUrl : relatedPath(n);
}

const others = (count: number) => (count === 1 ? '1 other' : `${count.toLocaleString('en-US')} others`);

/**
 * "Ana and 4 others liked your video “Title”." for a collapsed like (actorCount > 1): the
 * latest like's sentence starts with its sender's name, and the others join after it.
 */
function collapsedMessage(n: Pick<Notification, 'message' | 'senderName' | 'actorCount' | 'relatedType'>): string {
  const more = others(n.actorCount - 1);
  const name = n.senderName?.trim();
  if (name && n.message.startsWith(`${name} `)) return `${name} and ${more}${n.message.slice(name.length)}`;
  const thing = n.relatedType === 'post' ? 'post' : n.relatedType === 'video' ? 'video' : 'item';
  return `${name || 'Someone'} and ${more} liked your ${thing}.`;
}

export function notificationText(n: Notification): NotificationText {
  const message = n.type === 'like' && n.actorCount > 1 ? collapsedMessage(n) : n.message;
  return { title: n.title, message, link: notificationLink(n) };
}
