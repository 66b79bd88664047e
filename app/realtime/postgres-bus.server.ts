import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { LiveEvent, LiveListener, RealtimeBus } from './bus';
import { parseLiveEvent } from './live-event-schema';

/** The channel every ClassCast process LISTENs on. */
export const LIVE_CHANNEL = 'classcast_live';

/**
 * NOTIFY refuses payloads of 8000 bytes or more; events carry ids and counts only, so a
 * payload near the limit is a bug, caught here long before Postgres would reject it.
 */
export const MAX_PAYLOAD_BYTES = 4000;

export interface PostgresBusOptions {
  /** A direct or session-mode connection: PgBouncer in transaction mode drops LISTEN. */
  url: string;
  /**
   * How often the bus NOTIFYs itself to prove its LISTEN connection still delivers. The
   * `postgres` package re-LISTENs after a dropped connection, but gives up silently if the
   * server is unreachable at that moment; a missed probe makes us LISTEN again.
   */
  probeEveryMs?: number;
}

export interface PostgresBus extends RealtimeBus {
  /** Resolves once the first LISTEN is in place (publishing earlier would miss our own events). */
  ready: Promise<void>;
  onResync(listener: () => void): () => void;
}

type Probe = { type: 'bus-probe'; processId: string; nonce: string };

/**
 * Postgres LISTEN/NOTIFY (docs/decisions/014-realtime-bus-listen-notify.md): ONE dedicated
 * LISTEN connection per process (the `postgres` package opens it for `listen`), publishing
 * through a one-connection pool. Local listeners get events only through LISTEN, our own
 * included, so every process sees each event exactly once and in commit order.
 */
export function createPostgresBus(options: PostgresBusOptions): PostgresBus {
  const sql = postgres(options.url, {
    max: 1,
    onnotice: () => undefined,
    connection: { application_name: 'classcast-realtime' },
  });
  const listeners = new Set<LiveListener>();
  const resyncListeners = new Set<() => void>();
  const processId = randomUUID();
  let unlisten: (() => Promise<void>) | null = null;
  /** Each LISTEN we start is a generation; only the newest delivers, so a re-LISTEN never doubles events. */
  let generation = 0;
  let closed = false;
  let listenedOnce = false;
  let pendingProbe: string | null = null;
  let answeredProbe: string | null = null;

  function deliver(payload: string) {
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch {
      return;
    }
    if (isProbe(raw)) {
      if (raw.processId !== processId) return;
      answeredProbe = raw.nonce;
      if (raw.nonce === pendingProbe) pendingProbe = null;
      return;
    }
    const event = parseLiveEvent(raw);
    if (!event) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its stream's business.
      }
    }
  }

  function onListen() {
    // Every LISTEN after the first follows a gap in which NOTIFYs were lost.
    if (listenedOnce) for (const resync of resyncListeners) resync();
    listenedOnce = true;
  }

  async function listen() {
    const mine = ++generation;
    const previous = unlisten;
    unlisten = null;
    await previous?.().catch(() => undefined);
    const meta = await sql.listen(
      LIVE_CHANNEL,
      (payload) => {
        if (mine === generation) deliver(payload);
      },
      () => {
        if (mine === generation) onListen();
      },
    );
    if (mine === generation) unlisten = meta.unlisten;
    else await meta.unlisten().catch(() => undefined);
  }

  const ready = listen();
  // A failed first LISTEN surfaces through `ready`; the probe keeps retrying meanwhile.
  ready.catch(() => undefined);

  const probeEveryMs = options.probeEveryMs ?? 15_000;
  const probeTimer = setInterval(() => {
    if (closed) return;
    if (pendingProbe !== null) {
      // The last probe never came back: the LISTEN is gone.
      pendingProbe = null;
      listen().catch(() => undefined);
      return;
    }
    const nonce = randomUUID();
    const probe: Probe = { type: 'bus-probe', processId, nonce };
    // Only a probe the server took can prove the LISTEN dead; an unreachable server is retried.
    sql
      .notify(LIVE_CHANNEL, JSON.stringify(probe))
      .then(() => {
        // The probe may come back before this runs.
        if (answeredProbe !== nonce) pendingProbe = nonce;
      })
      .catch(() => undefined);
  }, probeEveryMs);
  probeTimer.unref();

  return {
    ready,
    async publish(event: LiveEvent) {
      const payload = JSON.stringify(event);
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
        throw new Error(
          `live event of ${Buffer.byteLength(payload)} bytes exceeds ${MAX_PAYLOAD_BYTES}: send ids, not bodies`,
        );
      }
      await sql.notify(LIVE_CHANNEL, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async ping() {
      if (closed) throw new Error('the bus is closed');
      await sql`SELECT 1`;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(probeTimer);
      listeners.clear();
      resyncListeners.clear();
      await unlisten?.().catch(() => undefined);
      await sql.end({ timeout: 2 });
    },
  };
}

function isProbe(value: unknown): value is Probe {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'bus-probe';
}
