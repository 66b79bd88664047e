/**
 * The signed-in user's live stream (/events): what they missed since their Last-Event-ID
 * (replayed from the database), the counts as they are now, then live events from the hub.
 */
import type { LivePosition } from '~/realtime/bus';
import { liveHubFor, type LiveHub } from '~/realtime/live-hub.server';
import type { LiveStreamItem } from '~/realtime/live-items';
import { compareLivePositions, decodeLivePosition, encodeLivePosition } from '~/realtime/live-position';
import type { LiveStreamEvents } from '~/realtime/wire';
import { AppError } from '~/utils/errors';
import { requireOwnLiveStream, type LiveStreamViewer } from './access.server';
import type { ServiceContext } from './context';

/**
 * At most this many missed events are replayed (the oldest first). Past it the stream says
 * `replayTruncated: true` in `ready`: the counts are exact, and a page reloads its lists.
 */
export const LIVE_REPLAY_CAP = 99;
/** One more than the cap from each source tells exactly whether anything lies past the cap. */
const FETCH_EACH = LIVE_REPLAY_CAP + 1;

export const LIVE_STREAM_LIMITS = {
  maxPendingBytes: 64 * 1024,
  maxStreamsPerUser: 20,
  /** With 20 s heartbeats: a revoked session's streams close within a minute. */
  sessionCheckEvery: 3,
  retryMs: 3000,
};

export interface LiveReplay {
  items: LiveStreamItem[];
  truncated: boolean;
}

/** The Last-Event-ID a client sent: absent (null), or a position we issued (400 otherwise). */
export function parseLastEventId(value: string | null): LivePosition | null {
  if (value === null || value === '') return null;
  const position = decodeLivePosition(value.trim());
  if (!position) {
    throw new AppError('VALIDATION_ERROR', 'Last-Event-ID is not a position this stream issued.', {
      fields: { lastEventId: ['Last-Event-ID is not a position this stream issued.'] },
    });
  }
  return position;
}

export async function liveCounts(ctx: Pick<ServiceContext, 'repos'>, userId: string) {
  const [unreadNotifications, unreadMessages] = await Promise.all([
    ctx.repos.notifications.countUnread(userId),
    ctx.repos.messages.countUnread(userId),
  ]);
  return { unreadNotifications, unreadMessages };
}

/** Notifications and received messages after `after`, merged in stream order, at most LIVE_REPLAY_CAP. */
export async function liveReplay(
  ctx: Pick<ServiceContext, 'repos'>,
  userId: string,
  after: LivePosition,
  counts: LiveStreamEvents['ready'],
): Promise<LiveReplay> {
  const [notifications, messages] = await Promise.all([
    ctx.repos.notifications.listAfter(userId, after, FETCH_EACH),
    ctx.repos.messages.listReceivedAfter(userId, after, FETCH_EACH),
  ]);
  const items: LiveStreamItem[] = [
    ...notifications.map((n): LiveStreamItem => ({
      name: 'notification',
      data: { notificationId: n.id, unreadCount: counts.unreadNotifications },
      position: { at: n.createdAt, id: n.id },
    })),
    ...messages.map((m): LiveStreamItem => ({
      name: 'message',
      data: {
        messageId: m.id,
        conversationId: m.conversationId,
        fromUserId: m.fromUserId,
        toUserId: m.toUserId,
        unreadMessages: counts.unreadMessages,
      },
      position: { at: m.createdAt, id: m.id },
    })),
  ].sort((a, b) => compareLivePositions(a.position, b.position));
  // Nothing from either source past its page can come before the cap-th merged item.
  return { items: items.slice(0, LIVE_REPLAY_CAP), truncated: items.length > LIVE_REPLAY_CAP };
}

/** Whether a stream's session still lets it run: not revoked, not expired, still this user's. */
export async function isLiveSessionValid(
  ctx: Pick<ServiceContext, 'repos' | 'now'>,
  sessionId: string,
  userId: string,
): Promise<boolean> {
  const record = await ctx.repos.authSessions.get(sessionId);
  return !!record && !record.revoked && record.userId === userId && new Date(record.expiresAt) > ctx.now();
}

/** The process's hub (one per bus, so one per process). */
export function liveHub(ctx: ServiceContext): LiveHub {
  return liveHubFor(ctx.bus, () => ({
    ...LIVE_STREAM_LIMITS,
    heartbeatMs: ctx.settings.liveHeartbeatMs ?? 20_000,
    isSessionLive: (sessionId, userId) => isLiveSessionValid(ctx, sessionId, userId),
  }));
}

/**
 * Opens the caller's stream. It joins the hub BEFORE the replay is read, so an event that
 * commits meanwhile is either in the replay or held and sent after it (never lost, never twice).
 */
export async function openLiveStream(
  ctx: ServiceContext,
  viewer: LiveStreamViewer | null,
  input: { lastEventId: string | null; requestedUserId: string | null; accept: string | null; signal: AbortSignal },
): Promise<ReadableStream<Uint8Array>> {
  const { userId, sessionId } = requireOwnLiveStream(viewer, input.requestedUserId);
  const after = parseLastEventId(input.lastEventId);
  // EventSource always asks for it; a plain fetch would wait for a body that never ends.
  if (!/\btext\/event-stream\b/i.test(input.accept ?? '')) {
    throw new AppError('NOT_ACCEPTABLE', 'This is an event stream: send "Accept: text/event-stream".');
  }
  const startedAt = ctx.now().toISOString();
  const opened = liveHub(ctx).open({ userId, sessionId, signal: input.signal });
  try {
    const counts = await liveCounts(ctx, userId);
    const replay = after ? await liveReplay(ctx, userId, after, counts) : { items: [], truncated: false };
    const last = replay.items.at(-1)?.position ?? after ?? { at: startedAt, id: '' };
    opened.start({
      replay: replay.items,
      ready: replay.truncated ? { ...counts, replayTruncated: true } : counts,
      readyId: encodeLivePosition(last),
    });
  } catch (error) {
    await opened.body.cancel().catch(() => undefined);
    throw error;
  }
  return opened.body;
}
