import type { LiveEvent, RealtimeBus } from './bus';
import { streamItemFor, streamItemKey, type LiveStreamItem } from './live-items';
import { encodeLivePosition } from './live-position';
import { formatRetry, formatStreamEvent, HEARTBEAT } from './sse-format';
import type { LiveStreamEvents } from './wire';

export interface LiveHubOptions {
  bus: RealtimeBus;
  /** Comment line interval (20 s; shorter in tests). */
  heartbeatMs: number;
  /** Look the streams' sessions up every this many heartbeats (revoked sessions close). */
  sessionCheckEvery: number;
  /** Bytes a stream may have waiting for a client that does not read; past it the stream closes. */
  maxPendingBytes: number;
  /** Open streams per user; a new one closes the oldest (a user rarely has this many tabs). */
  maxStreamsPerUser: number;
  /** `retry:` sent on open: how long the browser waits before reconnecting. */
  retryMs: number;
  isSessionLive(sessionId: string, userId: string): Promise<boolean>;
}

export interface LiveStreamStart {
  /** What the user missed, oldest first. */
  replay: readonly LiveStreamItem[];
  ready: LiveStreamEvents['ready'];
  /** The `id:` of the ready event: where a reconnect resumes if nothing else arrives. */
  readyId: string;
}

export interface OpenedStream {
  body: ReadableStream<Uint8Array>;
  /** Writes the replay and `ready`, then the live events that arrived meanwhile. */
  start(start: LiveStreamStart): void;
}

export interface LiveHubStats {
  streams: number;
  users: number;
  sessions: number;
  heartbeatRunning: boolean;
}

export interface LiveHub {
  open(input: { userId: string; sessionId: string; signal: AbortSignal }): OpenedStream;
  stats(): LiveHubStats;
  close(): void;
}

interface Stream {
  userId: string;
  sessionId: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** Live events held back until the replay is written. */
  held: LiveStreamItem[] | null;
  closed: boolean;
}

/**
 * The streams of one process behind ONE bus subscription and ONE heartbeat timer: indexed by
 * user (where events go) and by session (what a sign-out closes). A stream's memory is
 * bounded: what its client does not read queues up to `maxPendingBytes`, then the stream
 * closes and the browser reconnects with Last-Event-ID and replays from the database.
 */
export function createLiveHub(options: LiveHubOptions): LiveHub {
  const byUser = new Map<string, Set<Stream>>();
  const bySession = new Map<string, Set<Stream>>();
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let beats = 0;
  let checking = false;

  function add(index: Map<string, Set<Stream>>, key: string, stream: Stream) {
    const set = index.get(key) ?? new Set<Stream>();
    index.set(key, set);
    set.add(stream);
  }

  function remove(index: Map<string, Set<Stream>>, key: string, stream: Stream) {
    const set = index.get(key);
    if (!set) return;
    set.delete(stream);
    if (set.size === 0) index.delete(key);
  }

  function detach(stream: Stream) {
    if (stream.closed) return;
    stream.closed = true;
    stream.held = null;
    remove(byUser, stream.userId, stream);
    remove(bySession, stream.sessionId, stream);
    if (byUser.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }

  /** Ends the stream; `drop` discards what is still queued (a client that stopped reading). */
  function end(stream: Stream, how: 'close' | 'drop' = 'close', retryMs?: number) {
    if (stream.closed) return;
    if (retryMs !== undefined) write(stream, formatRetry(retryMs));
    detach(stream);
    try {
      if (how === 'drop') stream.controller.error(new Error('live stream client is not reading'));
      else stream.controller.close();
    } catch {
      // Already cancelled by the consumer.
    }
  }

  function write(stream: Stream, chunk: Uint8Array) {
    if (stream.closed) return;
    try {
      stream.controller.enqueue(chunk);
    } catch {
      detach(stream);
      return;
    }
    if ((stream.controller.desiredSize ?? 0) < 0) end(stream, 'drop');
  }

  function writeItem(stream: Stream, item: LiveStreamItem) {
    write(stream, formatStreamEvent(item.name, item.data, encodeLivePosition(item.position)));
  }

  function onEvent(event: LiveEvent) {
    if (event.type === 'session-ended') {
      for (const stream of [...(bySession.get(event.sessionId) ?? [])]) {
        if (stream.userId === event.userId) end(stream);
      }
      return;
    }
    const item = streamItemFor(event);
    const streams = byUser.get(event.userId);
    if (!item || !streams) return;
    // Formatted once for all of the user's streams.
    const chunk = formatStreamEvent(item.name, item.data, encodeLivePosition(item.position));
    for (const stream of [...streams]) {
      if (!stream.held) write(stream, chunk);
      else if (stream.held.length < MAX_HELD_EVENTS) stream.held.push(item);
      // A replay this far behind is a stuck one: the reconnect replays everything anyway.
      else end(stream);
    }
  }

  async function checkSessions() {
    if (checking) return;
    checking = true;
    try {
      for (const [sessionId, streams] of [...bySession]) {
        const first = streams.values().next().value;
        if (!first) continue;
        const live = await options.isSessionLive(sessionId, first.userId).catch(() => true);
        if (!live) for (const stream of [...(bySession.get(sessionId) ?? [])]) end(stream);
      }
    } finally {
      checking = false;
    }
  }

  function tick() {
    beats += 1;
    for (const streams of [...byUser.values()]) for (const stream of [...streams]) write(stream, HEARTBEAT);
    if (beats % options.sessionCheckEvery === 0) void checkSessions();
  }

  const unsubscribe = options.bus.subscribe(onEvent);
  // Events lost in a bus gap: every stream reconnects (spread over a few seconds) and replays.
  const unsubscribeResync =
    options.bus.onResync?.(() => {
      for (const streams of [...byUser.values()]) {
        for (const stream of [...streams]) end(stream, 'close', 1000 + Math.floor(Math.random() * 9000));
      }
    }) ?? (() => undefined);

  return {
    open({ userId, sessionId, signal }) {
      let stream!: Stream;
      const body = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            stream = { userId, sessionId, controller, held: [], closed: false };
          },
          cancel() {
            detach(stream);
          },
        },
        { highWaterMark: options.maxPendingBytes, size: (chunk) => chunk.byteLength },
      );
      const mine = byUser.get(userId);
      if (mine && mine.size >= options.maxStreamsPerUser) {
        const oldest = mine.values().next().value;
        if (oldest) end(oldest);
      }
      add(byUser, userId, stream);
      add(bySession, sessionId, stream);
      heartbeat ??= setInterval(tick, options.heartbeatMs);
      heartbeat.unref?.();
      if (signal.aborted) end(stream);
      else signal.addEventListener('abort', () => end(stream), { once: true });

      return {
        body,
        start({ replay, ready, readyId }) {
          if (stream.closed || !stream.held) return;
          const held = stream.held;
          stream.held = null;
          write(stream, formatRetry(options.retryMs));
          const sent = new Set<string>();
          for (const item of replay) {
            sent.add(streamItemKey(item));
            writeItem(stream, item);
          }
          write(stream, formatStreamEvent('ready', ready, readyId));
          for (const item of held) if (!sent.has(streamItemKey(item))) writeItem(stream, item);
        },
      };
    },
    stats() {
      return { streams: countStreams(), users: byUser.size, sessions: bySession.size, heartbeatRunning: !!heartbeat };
    },
    close() {
      unsubscribe();
      unsubscribeResync();
      for (const streams of [...byUser.values()]) for (const stream of [...streams]) end(stream);
    },
  };

  function countStreams() {
    let n = 0;
    for (const streams of byUser.values()) n += streams.size;
    return n;
  }
}

const MAX_HELD_EVENTS = 200;

const hubs = new WeakMap<RealtimeBus, LiveHub>();

/** The process's hub for its bus (the container makes one bus per process). */
export function liveHubFor(bus: RealtimeBus, options: () => Omit<LiveHubOptions, 'bus'>): LiveHub {
  let hub = hubs.get(bus);
  if (!hub) {
    hub = createLiveHub({ bus, ...options() });
    hubs.set(bus, hub);
  }
  return hub;
}
