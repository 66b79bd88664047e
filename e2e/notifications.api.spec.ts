/**
 * The notifications API at the original paths: the list's shape and unread count, the caller
 * only (403 for another userId, 404 for another's notification), read one / all, and
 * announcements by instructors (students 403, bad input 400).
 */
import type { APIRequestContext } from '@playwright/test';
import { newClient } from './course-builders';
import { createAccount, expect, test } from './fixtures';
import { classmateLikes, classWithBeasVideo } from './notification-builders';

const NOTIFICATION_KEYS = [
  'notificationId',
  'id',
  'recipientId',
  'senderId',
  'senderName',
  'type',
  'title',
  'message',
  'relatedId',
  'relatedType',
  'actionUrl',
  'isRead',
  'createdAt',
  'actorCount',
].sort();

async function me(client: APIRequestContext): Promise<string> {
  return (await (await client.get('/api/auth/me')).json()).user.id;
}

test('list, collapse, read one and read all, as the original keys say', async ({ playwright, baseURL }) => {
  const [teacher, bea, ana, carl] = await Promise.all([1, 2, 3, 4].map(() => newClient(playwright, baseURL)));
  const cls = await classWithBeasVideo({ teacher: teacher!, bea: bea! });
  await classmateLikes(ana!, cls, 'Ana');
  await classmateLikes(carl!, cls, 'Carl');

  const res = await bea!.get('/api/notifications');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = await res.json();
  expect(body).toMatchObject({ success: true, count: 1, unreadCount: 1, nextCursor: null });
  const [like] = body.notifications;
  expect(Object.keys(like).sort()).toEqual(NOTIFICATION_KEYS);
  expect(like).toMatchObject({
    type: 'like',
    recipientId: await me(bea!),
    senderName: 'Carl Tester',
    relatedId: cls.submission.videoId,
    relatedType: 'video',
    actionUrl: `/videos/${cls.submission.videoId}`,
    isRead: false,
    actorCount: 2,
  });
  expect(like.notificationId).toBe(like.id);
  expect(like.message).toBe(`Carl Tester and 1 other liked your video “${cls.videoTitle}”.`);

  // Own userId is fine; pagination answers the one list shape.
  const mine = await (await bea!.get(`/api/notifications?userId=${await me(bea!)}&limit=1`)).json();
  expect(mine.notifications).toHaveLength(1);
  expect((await bea!.get('/api/notifications?limit=0')).status()).toBe(400);
  expect((await bea!.get('/api/notifications?cursor=nonsense')).status()).toBe(400);

  // The original UI sends PUT; POST works too.
  const put = await bea!.put(`/api/notifications/${like.id}/read`);
  expect(put.status(), await put.text()).toBe(200);
  expect(await put.json()).toMatchObject({ success: true, message: expect.any(String) });
  expect((await bea!.post(`/api/notifications/${like.id}/read`)).status()).toBe(200);
  expect((await (await bea!.get('/api/notifications')).json()).unreadCount).toBe(0);

  await teacher!.post('/api/notifications/create', {
    data: { courseId: cls.course.id, title: 'Quiz Friday', message: 'Bring a pencil.' },
  });
  const all = await bea!.post('/api/notifications/read-all');
  expect(all.status()).toBe(200);
  expect(await all.json()).toMatchObject({ success: true, count: 1, message: expect.any(String) });
  expect((await (await bea!.post('/api/notifications/read-all')).json()).count).toBe(0);
});

test('only the caller: another userId is 403, another’s notification 404, nobody 401', async ({
  playwright,
  baseURL,
}) => {
  const [teacher, bea, ana] = await Promise.all([1, 2, 3].map(() => newClient(playwright, baseURL)));
  const cls = await classWithBeasVideo({ teacher: teacher!, bea: bea! });
  await classmateLikes(ana!, cls, 'Ana');
  const beasId = (await (await bea!.get('/api/notifications')).json()).notifications[0].id;

  const other = await ana!.get(`/api/notifications?userId=${await me(bea!)}`);
  expect(other.status()).toBe(403);
  expect(await other.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });
  for (const method of ['post', 'put'] as const) {
    const res = await ana![method](`/api/notifications/${beasId}/read`);
    expect(res.status()).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
  }
  expect((await ana!.post('/api/notifications/01JZZZZZZZZZZZZZZZZZZZZZZZ/read')).status()).toBe(404);
  expect((await (await bea!.get('/api/notifications')).json()).unreadCount).toBe(1);

  const nobody = await newClient(playwright, baseURL);
  expect((await nobody.get('/api/notifications')).status()).toBe(401);
  expect((await nobody.post('/api/notifications/read-all')).status()).toBe(401);
  expect((await bea!.get('/api/notifications/read-all')).status()).toBe(405);
  expect((await bea!.get('/api/notifications/create')).status()).toBe(405);
});

test('announcements: an instructor’s reach the course’s students; students 403; bad input 400', async ({
  playwright,
  baseURL,
}) => {
  const [teacher, bea, ana, stranger, otherTeacher] = await Promise.all(
    [1, 2, 3, 4, 5].map(() => newClient(playwright, baseURL)),
  );
  const cls = await classWithBeasVideo({ teacher: teacher!, bea: bea! });
  await classmateLikes(ana!, cls, 'Ana');
  await createAccount(stranger!, 'student', 'Stan');
  await createAccount(otherTeacher!, 'instructor', 'Olaf');

  const created = await teacher!.post('/api/notifications/create', {
    data: { courseId: cls.course.id, type: 'announcement', title: 'Lab moved', message: 'Room 2 on Thursday.' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = await created.json();
  expect(body).toMatchObject({ success: true, count: 2 });
  expect(body.notificationIds).toHaveLength(2);
  for (const student of [bea!, ana!]) {
    const [latest] = (await (await student.get('/api/notifications')).json()).notifications;
    expect(latest).toMatchObject({
      type: 'announcement',
      title: 'Lab moved',
      message: 'Room 2 on Thursday.',
      actionUrl: `/courses/${cls.course.id}`,
    });
  }
  expect((await (await stranger!.get('/api/notifications')).json()).count).toBe(0);

  const one = await teacher!.post('/api/notifications/create', {
    data: { recipientId: await me(bea!), title: 'Great work', message: 'See me after class.', actionUrl: '/dashboard' },
  });
  expect(one.status()).toBe(201);
  expect((await one.json()).count).toBe(1);

  const refused = [
    [ana!, { courseId: cls.course.id, title: 'Hi', message: 'x' }, 403],
    [otherTeacher!, { courseId: cls.course.id, title: 'Hi', message: 'x' }, 403],
    [teacher!, { recipientId: await me(stranger!), title: 'Hi', message: 'x' }, 403],
    [teacher!, { title: 'Hi', message: 'x' }, 400],
    [teacher!, { courseId: cls.course.id, title: 'x'.repeat(201), message: 'x' }, 400],
    [teacher!, { courseId: cls.course.id, title: 'Hi', message: '' }, 400],
    [teacher!, { courseId: cls.course.id, title: 'Hi', message: 'x', actionUrl: 'https://evil.example/' }, 400],
    [teacher!, { courseId: cls.course.id, title: 'Hi', message: 'x', type: 'party' }, 400],
  ] as const;
  for (const [client, data, status] of refused) {
    const res = await client.post('/api/notifications/create', { data });
    expect(res.status(), JSON.stringify(data)).toBe(status);
    expect((await res.json()).success).toBe(false);
  }
  const invalidJson = await teacher!.post('/api/notifications/create', {
    data: '{"title": ',
    headers: { 'Content-Type': 'application/json' },
  });
  expect(invalidJson.status()).toBe(400);
});
