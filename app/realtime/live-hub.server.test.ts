import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from './bus';
import { createLiveHub, type LiveHub, type LiveHubOptions } from './live-hub.server';
import { decodeLivePosition, encodeLivePosition } from './live-position';
import { createMemoryBus } from './memory-bus';

const decoder = new TextDecoder();
const at = (n: number) => new Date(1_700_000_000_000 + n * 1000).toISOString();
const ready = { unreadNotifications: 0, unreadMessages: 0 };

const notification = (userId: string, n: number, unreadCount = n): LiveEvent => ({
  type: 'notification',
  userId,
  notificationId: `n${n}`,
  position: { at: at(n), id: `n${n}` },
  unreadCount,
});

let hub: LiveHub | null = null;
const bus = createMemoryBus();
const live = new Set<string>();

function makeHub(overrides: Partial<LiveHubOptions> = {}) {
  hub = createLiveHub({
    bus,
    heartbeatMs: 60_000,
    sessionCheckEvery: 1,
    maxPendingBytes: 4096,
    maxStreamsPerUser: 3,
    retryMs: 3000,
    isSessionLive: async (sessionId) => live.has(sessionId),
    ...overrides,
  });
  return hub;
}

afterEach(() => {
  hub?.close();
  hub = null;
  live.clear();
});

/** Reads what the stream has written until `until` matches (or the stream ends). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (text: string) => boolean) {
  let text = '';
  while (!until(text)) {
    const { done, value } = await reader.read();
    if (done) return { text, done: true };
    text += decoder.decode(value);
  }
  return { text, done: false };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('live hub', () => {
  it('writes retry, the replay, ready, then live events in the wire format', async () => {
    const h = makeHub();
    const controller = new AbortController();
    const opened = h.open({ userId: 'u1', sessionId: 's1', signal: controller.signal });
    const reader = opened.body.getReader();
    await bus.publish(notification('u1', 2));
    await tick();
    opened.start({
      replay: [
        { name: 'notification', data: { notificationId: 'n1', unreadCount: 1 }, position: { at: at(1), id: 'n1' } },
      ],
      ready: { unreadNotifications: 2, unreadMessages: 0 },
      readyId: encodeLivePosition({ at: at(1), id: 'n1' }),
    });
    const { text } = await readUntil(reader, (t) => t.includes('"n2"'));
    const blocks = text.split('\n\n').filter(Boolean);
    expect(blocks[0]).toBe('retry: 3000');
    expect(blocks[1]).toBe(
      `id: ${encodeLivePosition({ at: at(1), id: 'n1' })}\nevent: notification\ndata: {"notificationId":"n1","unreadCount":1}`,
    );
    expect(blocks[2]).toMatch(/^id: \S+\nevent: ready\ndata: \{"unreadNotifications":2,"unreadMessages":0\}$/);
    expect(blocks[3]).toContain('event: notification\ndata: {"notificationId":"n2","unreadCount":2}');
    expect(decodeLivePosition(blocks[3].split('\n')[0].slice(4))).toEqual({ at: at(2), id: 'n2' });
    // Another user's event never reaches this stream.
    await bus.publish(notification('u2', 3));
    await bus.publish(notification('u1', 4));
    const next = await readUntil(reader, (t) => t.includes('"n4"'));
    expect(next.text).not.toContain('"n3"');
    controller.abort();
  });

  it('does not send a live event twice when the replay already had it', async () => {
    const h = makeHub();
    const opened = h.open({ userId: 'u1', sessionId: 's1', signal: new AbortController().signal });
    await bus.publish(notification('u1', 5));
    await tick();
    opened.start({
      replay: [
        { name: 'notification', data: { notificationId: 'n5', unreadCount: 5 }, position: { at: at(5), id: 'n5' } },
      ],
      ready,
      readyId: encodeLivePosition({ at: at(5), id: 'n5' }),
    });
    await bus.publish(notification('u1', 6));
    const { text } = await readUntil(opened.body.getReader(), (t) => t.includes('"n6"'));
    expect(text.match(/"n5"/g)).toHaveLength(1);
  });

  it('sends one heartbeat comment to every stream per interval, and stops the timer with the last stream', async () => {
    const h = makeHub({ heartbeatMs: 30, sessionCheckEvery: 1000 });
    const a = new AbortController();
    const b = new AbortController();
    const one = h.open({ userId: 'u1', sessionId: 's1', signal: a.signal });
    const two = h.open({ userId: 'u2', sessionId: 's2', signal: b.signal });
    one.start({ replay: [], ready, readyId: 'x' });
    two.start({ replay: [], ready, readyId: 'x' });
    const [r1, r2] = await Promise.all([
      readUntil(one.body.getReader(), (t) => t.includes(': heartbeat\n\n')),
      readUntil(two.body.getReader(), (t) => t.includes(': heartbeat\n\n')),
    ]);
    expect(r1.done || r2.done).toBe(false);
    expect(h.stats().heartbeatRunning).toBe(true);
    a.abort();
    b.abort();
    expect(h.stats()).toEqual({ streams: 0, users: 0, sessions: 0, heartbeatRunning: false });
  });

  it('closes a stream whose client does not read once its queue passes the cap', async () => {
    const h = makeHub({ maxPendingBytes: 2048 });
    const opened = h.open({ userId: 'u1', sessionId: 's1', signal: new AbortController().signal });
    opened.start({ replay: [], ready, readyId: 'x' });
    for (let n = 0; n < 100 && h.stats().streams > 0; n += 1) {
      await bus.publish(notification('u1', n));
      await tick();
    }
    expect(h.stats().streams).toBe(0);
    const reader = opened.body.getReader();
    await expect(readUntil(reader, () => false)).rejects.toThrow(/not reading/);
  });

  it('keeps at most maxStreamsPerUser streams per user, closing the oldest', async () => {
    const h = makeHub({ maxStreamsPerUser: 2 });
    const signal = new AbortController().signal;
    const first = h.open({ userId: 'u1', sessionId: 's1', signal });
    h.open({ userId: 'u1', sessionId: 's1', signal });
    h.open({ userId: 'u1', sessionId: 's2', signal });
    expect(h.stats().streams).toBe(2);
    const ended = await readUntil(first.body.getReader(), () => false);
    expect(ended.done).toBe(true);
  });

  it('closes a session’s streams on session-ended, and a revoked session’s at the session check', async () => {
    const h = makeHub({ heartbeatMs: 20, sessionCheckEvery: 2 });
    const signal = new AbortController().signal;
    live.add('s1');
    live.add('s2');
    const s1 = h.open({ userId: 'u1', sessionId: 's1', signal });
    const s2 = h.open({ userId: 'u1', sessionId: 's2', signal });
    const s3 = h.open({ userId: 'u3', sessionId: 's3', signal });
    live.add('s3');
    await bus.publish({ type: 'session-ended', userId: 'u1', sessionId: 's1' });
    expect((await readUntil(s1.body.getReader(), () => false)).done).toBe(true);
    expect(h.stats().streams).toBe(2);
    live.delete('s2');
    expect((await readUntil(s2.body.getReader(), () => false)).done).toBe(true);
    expect(h.stats()).toMatchObject({ streams: 1, users: 1, sessions: 1 });
    void s3;
  });

  it('leaves nothing behind when clients disconnect', async () => {
    const h = makeHub({ heartbeatMs: 10 });
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    controllers.forEach((c, i) => h.open({ userId: `u${i % 7}`, sessionId: `s${i % 11}`, signal: c.signal }));
    expect(h.stats().streams).toBe(21);
    for (const c of controllers) c.abort();
    expect(h.stats()).toEqual({ streams: 0, users: 0, sessions: 0, heartbeatRunning: false });
    await bus.publish(notification('u1', 1));
  });

  it('makes every stream reconnect after a bus gap', async () => {
    let resync = () => undefined as void;
    const gapBus = { ...createMemoryBus(), onResync: (l: () => void) => ((resync = l), () => undefined) };
    const h = makeHub({ bus: gapBus });
    const opened = h.open({ userId: 'u1', sessionId: 's1', signal: new AbortController().signal });
    opened.start({ replay: [], ready, readyId: 'x' });
    resync();
    const { text, done } = await readUntil(opened.body.getReader(), () => false);
    expect(done).toBe(true);
    expect(text).toMatch(/retry: \d{4,5}\n\n$/);
    expect(h.stats().streams).toBe(0);
  });
});
