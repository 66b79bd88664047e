/**
 * The realtime bus PORT: how "something happened for user X" travels from the process that
 * committed it (the outbox jobs, app/jobs) to every process holding that user's live streams
 * (/events). Implementations: in-process (one server; the embedded default) and Postgres
 * LISTEN/NOTIFY (several server processes on one database). Payloads carry ids and counts,
 * never bodies: NOTIFY caps payloads near 8 KB, and a stream re-reads what it must show.
 */

/** The position of an item in a user's live stream: its time, then its id (both sortable). */
export interface LivePosition {
  /** ISO-8601. */
  at: string;
  id: string;
}

export type LiveEvent =
  | {
      type: 'notification';
      userId: string;
      notificationId: string;
      position: LivePosition;
      /** The recipient's unread notifications after this one (the bell's number). */
      unreadCount: number;
    }
  | {
      type: 'message';
      /** Who the event is for: the recipient, and the sender's other tabs. */
      userId: string;
      messageId: string;
      conversationId: string;
      fromUserId: string;
      toUserId: string;
      position: LivePosition;
      /** `userId`'s unread messages over all conversations after this one. */
      unreadMessages: number;
    }
  | {
      /** A signed-out or revoked session: its streams close. */
      type: 'session-ended';
      userId: string;
      sessionId: string;
    };

export type LiveListener = (event: LiveEvent) => void;

export interface RealtimeBus {
  /** Resolves once the event is handed to the transport (delivery is at most once per listener). */
  publish(event: LiveEvent): Promise<void>;
  /** Every event published by any process, this one included. Returns the unsubscribe. */
  subscribe(listener: LiveListener): () => void;
  /**
   * Buses that can lose events in transit (a LISTEN connection that dropped and came back)
   * call this after such a gap, so streams can make their clients replay from the database.
   */
  onResync?(listener: () => void): () => void;
  /**
   * One cheap round trip to the transport (/readyz); throws when it cannot be reached. A bus
   * without one lives in the process and is reachable while the process is.
   */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
