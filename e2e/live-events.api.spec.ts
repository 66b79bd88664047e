/**
 * GET /events on the default backend: headers, refusals, replay after a reconnect with
 * Last-Event-ID, heartbeat (LIVE_HEARTBEAT_MS is short on the test server), no buffering by
 * compression, and sign-out closing the stream.
 */
import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { newClient } from './course-builders';
import { createAccount, expect, test } from './fixtures';
import { eventData, openEventStream } from './sse-client';

async function cookieHeader(client: APIRequestContext): Promise<string> {
  const { cookies } = await client.storageState();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

async function person(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
  role: 'student' | 'instructor',
  name: string,
) {
  const client = await newClient(playwright, baseURL);
  await createAccount(client, role, name);
  const me = (await (await client.get('/api/auth/me')).json()).user;
  return { client, id: me.id as string, cookie: await cookieHeader(client) };
}

/** A course with its instructor and two students: everyone may send Bob a study-buddy request. */
async function aClass(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined) {
  const teacher = await person(playwright, baseURL, 'instructor', 'Tara');
  const course = (
    await (await teacher.client.post('/api/courses', { data: { title: 'Live Lab', code: 'LL-1' } })).json()
  ).data;
  const [alice, bob] = await Promise.all(['Alice', 'Bob'].map((n) => person(playwright, baseURL, 'student', n)));
  for (const s of [alice, bob]) {
    expect((await s.client.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(201);
  }
  return { teacher, alice, bob, dispose: () => Promise.all([teacher, alice, bob].map((p) => p.client.dispose())) };
}

test('signed out: 401 in the JSON envelope; other methods 405', async ({ request, baseURL }) => {
  const res = await request.get('/events');
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
  const stream = await openEventStream(`${baseURL}/events`);
  expect(stream.status).toBe(401);
  expect(String(stream.headers['content-type'])).toContain('application/json');
  stream.close();
  expect((await request.post('/events')).status()).toBe(405);
});

test('signed in without Accept: text/event-stream: 406, not a body that never ends', async ({
  playwright,
  baseURL,
}) => {
  const me = await person(playwright, baseURL, 'student', 'Noa');
  const res = await me.client.get('/events');
  expect(res.status()).toBe(406);
  expect(await res.json()).toMatchObject({ success: false, code: 'NOT_ACCEPTABLE' });
  await me.client.dispose();
});

test('a malformed Last-Event-ID is a 400; someone else’s userId a 403', async ({ playwright, baseURL }) => {
  const me = await person(playwright, baseURL, 'student', 'Mia');
  const other = await person(playwright, baseURL, 'student', 'Ola');
  for (const bad of ['garbage', 'W10', Buffer.from('["yesterday","x"]').toString('base64url')]) {
    const res = await me.client.get('/events', { headers: { 'Last-Event-ID': bad } });
    expect(res.status(), bad).toBe(400);
    expect(await res.json()).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
  }
  expect((await me.client.get('/events?lastEventId=%25%25')).status()).toBe(400);
  const res = await me.client.get(`/events?userId=${other.id}`);
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });
  await Promise.all([me.client.dispose(), other.client.dispose()]);
});

test('the stream: headers, ready at once despite gzip, heartbeats', async ({ playwright, baseURL }) => {
  const me = await person(playwright, baseURL, 'student', 'Hana');
  const stream = await openEventStream(`${baseURL}/events`, { Cookie: me.cookie, 'Accept-Encoding': 'gzip, br' });
  try {
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toContain('no-store');
    expect(stream.headers['cache-control']).toContain('no-transform');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    // Compression would hold these bytes back until its window filled or the stream ended.
    expect(stream.headers['content-encoding']).toBeUndefined();
    await stream.waitFor((s) => s.events.some((e) => e.event === 'ready'), 3000, 'ready');
    expect(stream.isEnded()).toBe(false);
    expect(stream.text().startsWith('retry: ')).toBe(true);
    expect(eventData(stream, 'ready')).toEqual([{ unreadNotifications: 0, unreadMessages: 0 }]);
    expect(stream.events[0].id).toBeTruthy();
    await stream.waitFor((s) => s.comments.includes('heartbeat'), 10_000, 'a heartbeat');
    expect(stream.isEnded()).toBe(false);
  } finally {
    stream.close();
    await me.client.dispose();
  }
});

test('reconnecting with Last-Event-ID replays exactly the missed notifications', async ({ playwright, baseURL }) => {
  const { teacher, alice, bob, dispose } = await aClass(playwright, baseURL);
  const first = await openEventStream(`${baseURL}/events`, { Cookie: bob.cookie });
  await first.waitFor((s) => s.events.some((e) => e.event === 'ready'), 5000, 'ready');
  const lastSeen = first.events.at(-1)!.id!;
  first.close();

  // While Bob is away: two study-buddy requests, each with its notification for Bob.
  expect((await alice.client.post('/api/connections', { data: { requestedId: bob.id } })).status()).toBe(201);
  expect((await teacher.client.post('/api/connections', { data: { requestedId: bob.id } })).status()).toBe(201);

  const back = await openEventStream(`${baseURL}/events`, { Cookie: bob.cookie, 'Last-Event-ID': lastSeen });
  await back.waitFor((s) => s.events.some((e) => e.event === 'ready'), 5000, 'ready after the replay');
  const replayed = back.events.slice(
    0,
    back.events.findIndex((e) => e.event === 'ready'),
  );
  expect(replayed.map((e) => e.event)).toEqual(['notification', 'notification']);
  expect(eventData(back, 'ready')[0]).toMatchObject({ unreadNotifications: 2 });
  const ids = replayed.map((e) => (JSON.parse(e.data) as { notificationId: string }).notificationId);
  expect(new Set(ids).size).toBe(2);
  back.close();

  // From the first replayed event on, only the second is missing.
  const again = await openEventStream(`${baseURL}/events?lastEventId=${encodeURIComponent(replayed[0].id!)}`, {
    Cookie: bob.cookie,
  });
  await again.waitFor((s) => s.events.some((e) => e.event === 'ready'), 5000, 'ready');
  expect(again.events.map((e) => e.event)).toEqual(['notification', 'ready']);
  expect(JSON.parse(again.events[0].data)).toMatchObject({ notificationId: ids[1] });
  // The ready id of a stream with nothing new is where it already was.
  expect(again.events[1].id).toBe(replayed[1].id);
  again.close();
  await dispose();
});

test('signing out closes the session’s open stream', async ({ playwright, baseURL }) => {
  const me = await person(playwright, baseURL, 'student', 'Lou');
  const stream = await openEventStream(`${baseURL}/events`, { Cookie: me.cookie });
  await stream.waitFor((s) => s.events.some((e) => e.event === 'ready'), 5000, 'ready');
  expect((await me.client.post('/api/auth/logout', { data: {} })).status()).toBe(200);
  await stream.waitFor((s) => s.isEnded(), 5000, 'the stream to end');
  const reopened = await openEventStream(`${baseURL}/events`, { Cookie: me.cookie });
  expect(reopened.status).toBe(401);
  reopened.close();
  await me.client.dispose();
});

test('a study-buddy request reaches the open stream live, with the unread count', async ({ playwright, baseURL }) => {
  const { alice, bob, dispose } = await aClass(playwright, baseURL);
  const stream = await openEventStream(`${baseURL}/events`, { Cookie: bob.cookie });
  try {
    await stream.waitFor((s) => s.events.some((e) => e.event === 'ready'), 5000, 'ready');
    expect((await alice.client.post('/api/connections', { data: { requestedId: bob.id } })).status()).toBe(201);
    await stream.waitFor((s) => s.events.some((e) => e.event === 'notification'), 10_000, 'the notification');
    expect(eventData(stream, 'notification')).toEqual([{ notificationId: expect.any(String), unreadCount: 1 }]);
  } finally {
    stream.close();
    await dispose();
  }
});
