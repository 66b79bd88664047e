import express from 'express';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endEventStreams, isEventStream, sendEventStream } from './event-stream-response.server';
import { createLiveHub } from './live-hub.server';
import { createMemoryBus } from './memory-bus';

/**
 * The writer server.ts uses for /events, on a real socket: a client that never reads fills the
 * socket, the writer stops pulling, the hub's queue passes its cap, and the stream is dropped
 * and the connection cut — nothing keeps growing.
 */
const bus = createMemoryBus();
const hub = createLiveHub({
  bus,
  heartbeatMs: 60_000,
  sessionCheckEvery: 1000,
  maxPendingBytes: 16 * 1024,
  maxStreamsPerUser: 20,
  retryMs: 1000,
  isSessionLive: async () => true,
});
let server: ReturnType<ReturnType<typeof express>['listen']>;
let port = 0;

beforeAll(async () => {
  const app = express();
  app.get('/events', (req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const opened = hub.open({ userId: String(req.query.user), sessionId: 's', signal: controller.signal });
    opened.start({ replay: [], ready: { unreadNotifications: 0, unreadMessages: 0 }, readyId: 'r' });
    sendEventStream(
      res,
      new Response(opened.body, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } }),
    );
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  hub.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function connect(user: string) {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(`GET /events?user=${user} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
  return socket;
}

const publishMany = async (user: string, n: number, yieldEvery = 500) => {
  for (let i = 0; i < n; i += 1) {
    await bus.publish({
      type: 'notification',
      userId: user,
      notificationId: `ntf_${'x'.repeat(200)}_${i}`,
      position: { at: new Date().toISOString(), id: `n${i}` },
      unreadCount: i,
    });
    if (i % yieldEvery === 0) await new Promise((r) => setTimeout(r, yieldEvery < 500 ? 1 : 0));
  }
};

describe('the event-stream writer', () => {
  it('recognises event streams by content type', () => {
    expect(isEventStream('text/event-stream; charset=utf-8')).toBe(true);
    expect(isEventStream('application/json')).toBe(false);
    expect(isEventStream(undefined)).toBe(false);
  });

  it('drops a client that never reads once its queue passes the cap, and cuts the connection', async () => {
    const socket = connect('slow');
    socket.pause();
    const closed = new Promise((r) => socket.once('close', r));
    await expect.poll(() => hub.stats().streams, { timeout: 5000 }).toBe(1);
    // Far more than the socket buffers hold: only the cap can end this.
    for (let round = 0; round < 40 && hub.stats().streams > 0; round += 1) await publishMany('slow', 2000);
    expect(hub.stats().streams).toBe(0);
    socket.resume();
    await closed;
  }, 60_000);

  it('keeps a reading client and ends its stream when it disconnects', async () => {
    const socket = connect('reader');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await expect.poll(() => hub.stats().streams, { timeout: 5000 }).toBe(1);
    // At a pace the socket keeps up with (a burst past the socket buffers plus the cap would
    // drop even a reading client, which then reconnects and replays).
    await publishMany('reader', 3000, 10);
    await expect.poll(() => received.includes('"unreadCount":2999'), { timeout: 10_000 }).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(hub.stats().streams).toBe(1);
    socket.destroy();
    await expect.poll(() => hub.stats().streams, { timeout: 5000 }).toBe(0);
  }, 60_000);

  it('on shutdown tells an open stream to reconnect (retry and a close event), then ends it', async () => {
    const socket = connect('leaving');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await expect.poll(() => received.includes('event: ready'), { timeout: 5000 }).toBe(true);
    const beforeShutdown = received.length;
    expect(endEventStreams()).toBe(1);
    // Chunked encoding's last chunk: the response ended, it was not cut.
    await expect.poll(() => received.endsWith('0\r\n\r\n'), { timeout: 5000 }).toBe(true);
    const farewell = received.slice(beforeShutdown);
    expect(farewell).toMatch(/retry: \d+\n\n/);
    expect(farewell).toContain('event: close\ndata: {"reason":"shutdown"}\n\n');
    expect(farewell.indexOf('retry:')).toBeLessThan(farewell.indexOf('event: close'));
    socket.destroy();
    await expect.poll(() => hub.stats().streams, { timeout: 5000 }).toBe(0);
    expect(endEventStreams()).toBe(0);
  });
});
