import { describe, expect, it } from 'vitest';
import type { NewNotification, User } from '~/data/repository';
import { decodeLivePosition, encodeLivePosition } from '~/realtime/live-position';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { requireOwnLiveStream } from './access.server';
import {
  isLiveSessionValid,
  LIVE_REPLAY_CAP,
  liveHub,
  liveReplay,
  openLiveStream,
  parseLastEventId,
} from './live-stream.server';

const world = setupServiceContext();
const { aUser } = builders(world);

const note = (recipient: User, n: number): NewNotification => ({
  recipientId: recipient.id,
  senderId: null,
  senderName: null,
  type: 'announcement',
  title: `Announcement ${n}`,
  message: 'Hello',
  relatedId: null,
  relatedType: null,
  actionUrl: null,
});

const decoder = new TextDecoder();

/** Reads the stream up to and including its `ready` event; returns the events as name/id/data. */
async function readToReady(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  let text = '';
  while (!text.includes('event: ready')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return {
        name: field('event'),
        id: field('id'),
        data: JSON.parse(field('data') ?? 'null') as Record<string, unknown>,
      };
    });
}

async function viewerOf(user: User) {
  const session = await world.ctx.repos.authSessions.create({
    userId: user.id,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return { userId: user.id, sessionId: session.id };
}

const open = (
  viewer: { userId: string; sessionId: string } | null,
  lastEventId: string | null = null,
  requestedUserId: string | null = null,
) =>
  openLiveStream(world.ctx, viewer, {
    lastEventId,
    requestedUserId,
    accept: 'text/event-stream',
    signal: new AbortController().signal,
  });

describe('live stream service', () => {
  it('is your own stream only: 401 signed out, 403 for another userId', async () => {
    const me = await aUser('student');
    const other = await aUser('student');
    const viewer = await viewerOf(me);
    await expectStatus(open(null), 401);
    await expectStatus(open(viewer, null, other.id), 403);
    expect(requireOwnLiveStream(viewer, me.id)).toEqual(viewer);
    expect(requireOwnLiveStream(viewer, null)).toEqual(viewer);
    expect(liveHub(world.ctx).stats().streams).toBe(0);
  });

  it('answers 406 to a request that does not accept an event stream (a plain fetch would hang)', async () => {
    const viewer = await viewerOf(await aUser('student'));
    const signal = new AbortController().signal;
    for (const accept of [null, '*/*', 'application/json']) {
      await expectStatus(
        openLiveStream(world.ctx, viewer, { lastEventId: null, requestedUserId: null, accept, signal }),
        406,
      );
    }
    expect(liveHub(world.ctx).stats().streams).toBe(0);
  });

  it('refuses a malformed Last-Event-ID with a 400 and opens no stream', async () => {
    const viewer = await viewerOf(await aUser('student'));
    await expectStatus(open(viewer, 'garbage'), 400);
    expect(() => parseLastEventId('W10')).toThrowError(/Last-Event-ID/);
    expect(parseLastEventId(null)).toBeNull();
    expect(liveHub(world.ctx).stats().streams).toBe(0);
  });

  it('starts with ready and the current counts; its id resumes from now', async () => {
    const me = await aUser('student');
    const friend = await aUser('student');
    await world.ctx.repos.notifications.createMany([note(me, 1)]);
    await world.ctx.repos.messages.send({ fromUserId: friend.id, toUserId: me.id, content: 'hi' }, null);
    const events = await readToReady(await open(await viewerOf(me)));
    expect(events.map((e) => e.name)).toEqual(['ready']);
    expect(events[0].data).toEqual({ unreadNotifications: 1, unreadMessages: 1 });
    expect(decodeLivePosition(events[0].id!)).toMatchObject({ id: '' });
  });

  it('replays exactly what came after Last-Event-ID, notifications and messages in order', async () => {
    const me = await aUser('student');
    const friend = await aUser('student');
    const viewer = await viewerOf(me);
    const [before] = await world.ctx.repos.notifications.createMany([note(me, 1)]);
    const mark = encodeLivePosition({ at: before.createdAt, id: before.id });
    world.clock.advance(5);
    const [second] = await world.ctx.repos.notifications.createMany([note(me, 2)]);
    world.clock.advance(5);
    const message = await world.ctx.repos.messages.send(
      { fromUserId: friend.id, toUserId: me.id, content: 'hi' },
      null,
    );
    // Messages Bob sent are not "received" and never replayed to him.
    await world.ctx.repos.messages.send({ fromUserId: me.id, toUserId: friend.id, content: 'yo' }, null);
    world.clock.reset();

    const events = await readToReady(await open(viewer, mark));
    expect(events.map((e) => [e.name, e.data.notificationId ?? e.data.messageId])).toEqual([
      ['notification', second.id],
      ['message', message.id],
      ['ready', undefined],
    ]);
    expect(events[0].data).toEqual({ notificationId: second.id, unreadCount: 2 });
    expect(events[1].data).toMatchObject({
      conversationId: message.conversationId,
      fromUserId: friend.id,
      unreadMessages: 1,
    });
    expect(events[2].data).toEqual({ unreadNotifications: 2, unreadMessages: 1 });
    // Nothing new since the last replayed event: ready keeps its position.
    expect(events[2].id).toBe(events[1].id);
    const again = await readToReady(await open(viewer, events[1].id!));
    expect(again.map((e) => e.name)).toEqual(['ready']);
  });

  it(`caps the replay at ${LIVE_REPLAY_CAP}, oldest first, and says so`, async () => {
    const me = await aUser('student');
    const start = { at: new Date(Date.now() - 60_000).toISOString(), id: '' };
    const batch = Array.from({ length: 100 }, (_, i) => note(me, i));
    await world.ctx.repos.notifications.createMany(batch);
    await world.ctx.repos.notifications.createMany([note(me, 100), note(me, 101)]);
    const counts = { unreadNotifications: 102, unreadMessages: 0 };
    const replay = await liveReplay(world.ctx, me.id, start, counts);
    expect(replay.items).toHaveLength(LIVE_REPLAY_CAP);
    expect(replay.truncated).toBe(true);
    const rest = await liveReplay(world.ctx, me.id, replay.items.at(-1)!.position, counts);
    expect(rest).toMatchObject({ truncated: false });
    expect(rest.items).toHaveLength(102 - LIVE_REPLAY_CAP);

    const events = await readToReady(await open(await viewerOf(me), encodeLivePosition(start)));
    expect(events).toHaveLength(LIVE_REPLAY_CAP + 1);
    expect(events.at(-1)).toMatchObject({ name: 'ready', data: { unreadNotifications: 102, replayTruncated: true } });
    expect(events.at(-1)!.id).toBe(events.at(-2)!.id);
  });

  it('delivers live events published on the bus after ready, and cleans up on disconnect', async () => {
    const me = await aUser('student');
    const hub = liveHub(world.ctx);
    const controller = new AbortController();
    const body = await openLiveStream(world.ctx, await viewerOf(me), {
      lastEventId: null,
      requestedUserId: null,
      accept: 'text/event-stream',
      signal: controller.signal,
    });
    expect(hub.stats().streams).toBe(1);
    await world.ctx.bus.publish({
      type: 'notification',
      userId: me.id,
      notificationId: 'ntf_live',
      position: { at: new Date().toISOString(), id: 'ntf_live' },
      unreadCount: 1,
    });
    const reader = body.getReader();
    let text = '';
    while (!text.includes('ntf_live')) text += decoder.decode((await reader.read()).value);
    expect(text.indexOf('event: ready')).toBeLessThan(text.indexOf('ntf_live'));
    controller.abort();
    expect(hub.stats()).toMatchObject({ streams: 0, users: 0, sessions: 0 });
  });

  it('knows a revoked, expired or foreign session is over', async () => {
    const me = await aUser('student');
    const other = await aUser('student');
    const viewer = await viewerOf(me);
    expect(await isLiveSessionValid(world.ctx, viewer.sessionId, me.id)).toBe(true);
    expect(await isLiveSessionValid(world.ctx, viewer.sessionId, other.id)).toBe(false);
    expect(await isLiveSessionValid(world.ctx, 'no-such-session', me.id)).toBe(false);
    world.clock.advance(2 * 3_600_000);
    expect(await isLiveSessionValid(world.ctx, viewer.sessionId, me.id)).toBe(false);
    world.clock.reset();
    await world.ctx.repos.authSessions.revoke(viewer.sessionId);
    expect(await isLiveSessionValid(world.ctx, viewer.sessionId, me.id)).toBe(false);
  });
});
