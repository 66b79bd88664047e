/**
 * What /events sends, as both ends read it (the stream in app/realtime, the browser in
 * app/components/live-events.tsx). Each event is `id: <position>`, `event: <name>`,
 * `data: <one line of JSON>`; a comment line `: heartbeat` every 20 s keeps proxies from
 * closing an idle stream.
 */
export interface LiveStreamEvents {
  /** First event of every stream (and after each reconnect): the counts as they are now. */
  ready: {
    unreadNotifications: number;
    unreadMessages: number;
    /**
     * More was missed than one replay sends (the oldest were sent): the counts are right,
     * but a page showing lists should reload them.
     */
    replayTruncated?: boolean;
  };
  notification: { notificationId: string; unreadCount: number };
  message: {
    messageId: string;
    conversationId: string;
    fromUserId: string;
    toUserId: string;
    unreadMessages: number;
  };
}

export type LiveStreamEventName = keyof LiveStreamEvents;

export const LIVE_STREAM_EVENT_NAMES: readonly LiveStreamEventName[] = ['ready', 'notification', 'message'];

export const LIVE_STREAM_PATH = '/events';
