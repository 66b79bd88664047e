/**
 * The messaging JSON API at the original paths: envelope and keys, the refusals of the
 * Messaging issue (yourself, strangers, another pair's conversation, empty and oversize
 * content), unread counts and pagination. Each test makes its own users.
 */
import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { newClient } from './course-builders';

async function person(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined, name: string) {
  const client = await newClient(playwright, baseURL);
  await createAccount(client, 'student', name);
  const me = (await (await client.get('/api/auth/me')).json()).user;
  return { client, id: me.id as string, name };
}

/** An instructor's course with two enrolled students, and one student from elsewhere. */
async function aClass(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined) {
  const teacherClient = await newClient(playwright, baseURL);
  await createAccount(teacherClient, 'instructor', 'Tara');
  const teacherId = (await (await teacherClient.get('/api/auth/me')).json()).user.id as string;
  const course = (
    await (await teacherClient.post('/api/courses', { data: { title: 'Media Lab', code: 'ML-1' } })).json()
  ).data;
  const [alice, bob, outsider] = await Promise.all(['Alice', 'Bob', 'Olga'].map((n) => person(playwright, baseURL, n)));
  for (const s of [alice, bob]) {
    expect((await s.client.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(201);
  }
  const teacher = { client: teacherClient, id: teacherId, name: 'Tara' };
  const dispose = () => Promise.all([teacher, alice, bob, outsider].map((p) => p.client.dispose()));
  return { teacher, alice, bob, outsider, dispose };
}

async function call(client: APIRequestContext, method: string, url: string, data?: unknown) {
  const res = await client.fetch(url, { method, data: method === 'GET' ? undefined : (data ?? {}) });
  return { status: res.status(), body: await res.json() };
}

const send = (client: APIRequestContext, toUserId: string, content: unknown, extra: object = {}) =>
  call(client, 'POST', '/api/messaging/messages', { toUserId, content, ...extra });

const conversationsOf = (p: { client: APIRequestContext; id: string }, query = '') =>
  call(p.client, 'GET', `/api/messaging/conversations?userId=${p.id}${query}`);

const threadOf = (p: { client: APIRequestContext; id: string }, otherId: string, query = '') =>
  call(p.client, 'GET', `/api/messaging/messages?userId1=${p.id}&userId2=${otherId}${query}`);

test.describe('messaging API', () => {
  test('send, list and read with the original keys; unread goes up and back to 0 when read', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, dispose } = await aClass(playwright, baseURL);
    const sent = await send(alice.client, bob.id, '  Hi Bob  ', { fromUserId: alice.id });
    expect(sent.status).toBe(201);
    const conversationId = [alice.id, bob.id].sort().join('_');
    expect(sent.body).toEqual({
      success: true,
      message: {
        id: expect.any(String),
        messageId: sent.body.message.id,
        conversationId,
        fromUserId: alice.id,
        toUserId: bob.id,
        content: 'Hi Bob',
        timestamp: expect.any(String),
        read: false,
      },
    });
    expect((await send(alice.client, bob.id, 'Second')).status).toBe(201);

    const bobsList = await conversationsOf(bob);
    expect(bobsList.status).toBe(200);
    expect(bobsList.body).toMatchObject({
      success: true,
      count: 1,
      nextCursor: null,
      conversations: [
        {
          conversationId,
          userId: alice.id,
          userName: 'Alice Tester',
          userAvatar: null,
          lastMessage: 'Second',
          lastTimestamp: expect.any(String),
          unreadCount: 2,
        },
      ],
    });
    expect((await conversationsOf(alice)).body.conversations[0]).toMatchObject({ userId: bob.id, unreadCount: 0 });

    // The sender reading leaves the recipient's count alone; the recipient reading clears it.
    const bySender = await threadOf(alice, bob.id);
    expect(bySender.body.messages.map((m: any) => [m.content, m.read])).toEqual([
      ['Hi Bob', false],
      ['Second', false],
    ]);
    expect((await conversationsOf(bob)).body.conversations[0].unreadCount).toBe(2);
    const byRecipient = await threadOf(bob, alice.id);
    expect(byRecipient.status).toBe(200);
    expect(byRecipient.body).toMatchObject({ success: true, nextCursor: null, count: 2 });
    expect(byRecipient.body.messages.map((m: any) => m.read)).toEqual([true, true]);
    expect((await conversationsOf(bob)).body.conversations[0].unreadCount).toBe(0);
    // The same thread named the other way round.
    const swapped = await call(bob.client, 'GET', `/api/messaging/messages?userId1=${alice.id}&userId2=${bob.id}`);
    expect(swapped.body.messages).toHaveLength(2);
    await dispose();
  });

  test('yourself, strangers and a forged sender are 403; unknown people 404; signed-out 401', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, outsider, dispose } = await aClass(playwright, baseURL);
    const self = await send(alice.client, alice.id, 'me');
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ success: false, code: 'FORBIDDEN', error: expect.any(String) });
    expect((await send(alice.client, outsider.id, 'hi')).status).toBe(403);
    expect((await send(outsider.client, alice.id, 'hi')).status).toBe(403);
    expect((await send(alice.client, bob.id, 'hi', { fromUserId: bob.id })).status).toBe(403);
    const unknown = await send(alice.client, '01JZZZZZZZZZZZZZZZZZZZZZZZ', 'hi');
    expect(unknown).toMatchObject({ status: 404, body: { success: false, code: 'NOT_FOUND' } });
    const anonymous = await newClient(playwright, baseURL);
    expect((await call(anonymous, 'GET', `/api/messaging/conversations?userId=${alice.id}`)).status).toBe(401);
    expect((await call(anonymous, 'GET', `/api/messaging/messages?userId1=${alice.id}&userId2=${bob.id}`)).status).toBe(
      401,
    );
    await anonymous.dispose();
    expect((await conversationsOf(outsider)).body.conversations).toEqual([]);
    await dispose();
  });

  test('another pair’s conversation and another user’s list are 403; a missing side is 400', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, outsider, teacher, dispose } = await aClass(playwright, baseURL);
    expect((await send(alice.client, bob.id, 'private')).status).toBe(201);
    const peek = await call(outsider.client, 'GET', `/api/messaging/messages?userId1=${alice.id}&userId2=${bob.id}`);
    expect(peek).toMatchObject({ status: 403, body: { success: false, code: 'FORBIDDEN' } });
    expect(JSON.stringify(peek.body)).not.toContain('private');
    expect(
      (await call(teacher.client, 'GET', `/api/messaging/messages?userId1=${alice.id}&userId2=${bob.id}`)).status,
    ).toBe(403);
    expect((await call(outsider.client, 'GET', `/api/messaging/conversations?userId=${alice.id}`)).status).toBe(403);
    const missing = await call(alice.client, 'GET', `/api/messaging/messages?userId1=${alice.id}`);
    expect(missing).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } });
    expect((await threadOf(alice, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    await dispose();
  });

  test('empty and oversize messages are 400 with the field named; nothing is stored', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, dispose } = await aClass(playwright, baseURL);
    for (const content of ['', '   \n ', 'x'.repeat(2001), 42, null]) {
      const res = await send(alice.client, bob.id, content);
      expect(res.status, JSON.stringify(content)).toBe(400);
      expect(res.body).toMatchObject({
        success: false,
        code: 'VALIDATION_ERROR',
        details: { fields: { content: [expect.any(String)] } },
      });
    }
    expect((await send(alice.client, bob.id, 'y'.repeat(2000))).status).toBe(201);
    expect((await threadOf(bob, alice.id)).body.messages).toHaveLength(1);
    const notJson = await alice.client.fetch('/api/messaging/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      data: '{not json',
    });
    expect(notJson.status()).toBe(400);
    await dispose();
  });

  test('threads page from the latest back by cursor; conversation lists page too', async ({ playwright, baseURL }) => {
    const { alice, bob, teacher, dispose } = await aClass(playwright, baseURL);
    for (let i = 1; i <= 5; i += 1) expect((await send(alice.client, bob.id, `m${i}`)).status).toBe(201);
    const latest = await threadOf(bob, alice.id, '&limit=2');
    expect(latest.body.messages.map((m: any) => m.content)).toEqual(['m4', 'm5']);
    expect(latest.body.nextCursor).toEqual(expect.any(String));
    const middle = await threadOf(bob, alice.id, `&limit=2&cursor=${encodeURIComponent(latest.body.nextCursor)}`);
    expect(middle.body.messages.map((m: any) => m.content)).toEqual(['m2', 'm3']);
    const first = await threadOf(bob, alice.id, `&limit=2&cursor=${encodeURIComponent(middle.body.nextCursor)}`);
    expect(first.body).toMatchObject({ nextCursor: null });
    expect(first.body.messages.map((m: any) => m.content)).toEqual(['m1']);
    expect((await threadOf(bob, alice.id, '&cursor=garbage')).status).toBe(400);
    expect((await threadOf(bob, alice.id, '&limit=0')).status).toBe(400);

    expect((await send(teacher.client, bob.id, 'Office hours moved')).status).toBe(201);
    const page1 = await conversationsOf(bob, '&limit=1');
    expect(page1.body.conversations.map((c: any) => c.userId)).toEqual([teacher.id]);
    const page2 = await conversationsOf(bob, `&limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
    expect(page2.body.conversations.map((c: any) => c.userId)).toEqual([alice.id]);
    expect(page2.body.nextCursor).toBeNull();
    await dispose();
  });
});
