import type { LiveEvent, LivePosition } from './bus';
import type { LiveStreamEvents } from './wire';

/** One replayable stream event: what it says and where it sits in the user's stream. */
export type LiveStreamItem =
  | { name: 'notification'; data: LiveStreamEvents['notification']; position: LivePosition }
  | { name: 'message'; data: LiveStreamEvents['message']; position: LivePosition };

/** The stream event a bus event becomes (null: it is not one a stream shows, e.g. session-ended). */
export function streamItemFor(event: LiveEvent): LiveStreamItem | null {
  switch (event.type) {
    case 'notification':
      return {
        name: 'notification',
        data: { notificationId: event.notificationId, unreadCount: event.unreadCount },
        position: event.position,
      };
    case 'message':
      return {
        name: 'message',
        data: {
          messageId: event.messageId,
          conversationId: event.conversationId,
          fromUserId: event.fromUserId,
          toUserId: event.toUserId,
          unreadMessages: event.unreadMessages,
        },
        position: event.position,
      };
    default:
      return null;
  }
}

/** Which thing an item is about: a live event that the replay already sent is not sent twice. */
export function streamItemKey(item: LiveStreamItem): string {
  return item.name === 'notification'
    ? `n:${item.data.notificationId}:${item.position.at}`
    : `m:${item.data.messageId}`;
}
