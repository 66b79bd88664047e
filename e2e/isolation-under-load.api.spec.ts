/**
 * Caches never serve one user's data to another (issue 12): two students in different courses
 * ask the same pages and lists, alternating, many requests in flight at once, and every answer
 * must be the requester's own (their name, their course, their notifications and messages,
 * their unread counts) and never hold anything of the other's. Then, still under load, a write
 * for one of them shows on that person's very next request and never on the other's.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';

const TOTAL_REQUESTS = 200;
const IN_FLIGHT = 20;
/** Requests kept in flight beside the writes of phase 2. */
const BACKGROUND = 6;

interface Person {
  client: APIRequestContext;
  id: string;
  name: string;
  courseTitle: string;
  /** Everything only this person may ever see, including what is being written for them. */
  private: Set<string>;
  unreadNotifications: number;
  unreadMessages: number;
  lastMessage: string;
}

const tag = Math.random().toString(36).slice(2, 8);

async function json(res: APIResponse, what: string, status = 200) {
  expect(res.status(), `${what}: ${await res.text()}`).toBe(status);
  return res.json();
}

/** One request as `me`: the answer is mine, and nothing in it is `other`'s. */
type Check = (me: Person, other: Person, opts: { exact: boolean }) => Promise<void>;

function neverTheOthers(text: string, other: Person, what: string) {
  for (const marker of other.private) expect(text.includes(marker), `${what} holds “${marker}”`).toBe(false);
}

const pages: Array<[string, Check]> = [
  [
    '/dashboard',
    async (me, other) => {
      const res = await me.client.get('/dashboard');
      expect(res.status()).toBe(200);
      const html = await res.text();
      expect(html).toContain(me.name);
      expect(html).toContain(me.courseTitle);
      neverTheOthers(html, other, `${me.name}'s /dashboard`);
    },
  ],
  [
    '/notifications',
    async (me, other) => {
      const res = await me.client.get('/notifications');
      expect(res.status()).toBe(200);
      const html = await res.text();
      expect(html).toContain(me.name);
      expect(html).toContain(`For ${me.name} #1`);
      neverTheOthers(html, other, `${me.name}'s /notifications`);
    },
  ],
  [
    '/messages',
    async (me, other, { exact }) => {
      const res = await me.client.get('/messages');
      expect(res.status()).toBe(200);
      const html = await res.text();
      expect(html).toContain(me.name);
      if (exact) expect(html).toContain(me.lastMessage);
      neverTheOthers(html, other, `${me.name}'s /messages`);
    },
  ],
  [
    '/api/courses',
    async (me, other) => {
      const body = await json(await me.client.get('/api/courses'), '/api/courses');
      expect(body.data.courses.map((c: { title: string }) => c.title)).toEqual([me.courseTitle]);
      neverTheOthers(JSON.stringify(body), other, `${me.name}'s /api/courses`);
    },
  ],
  [
    '/api/student/feed',
    async (me, other) => {
      const body = await json(await me.client.get('/api/student/feed'), '/api/student/feed');
      expect(body.courses.map((c: { name: string }) => c.name)).toEqual([me.courseTitle]);
      neverTheOthers(JSON.stringify(body), other, `${me.name}'s /api/student/feed`);
    },
  ],
  [
    '/api/notifications',
    async (me, other, { exact }) => {
      const body = await json(await me.client.get('/api/notifications'), '/api/notifications');
      if (exact) expect(body.unreadCount).toBe(me.unreadNotifications);
      expect(body.notifications.every((n: { recipientId: string }) => n.recipientId === me.id)).toBe(true);
      neverTheOthers(JSON.stringify(body), other, `${me.name}'s /api/notifications`);
    },
  ],
  [
    '/api/messaging/conversations',
    async (me, other, { exact }) => {
      const body = await json(await me.client.get('/api/messaging/conversations'), '/api/messaging/conversations');
      if (exact) {
        expect(body.conversations).toHaveLength(1);
        expect(body.conversations[0]).toMatchObject({ lastMessage: me.lastMessage, unreadCount: me.unreadMessages });
      }
      neverTheOthers(JSON.stringify(body), other, `${me.name}'s conversations`);
    },
  ],
  [
    '/api/auth/me',
    async (me) => {
      const body = await json(await me.client.get('/api/auth/me'), '/api/auth/me');
      expect(body.user.id).toBe(me.id);
    },
  ],
];

/** Runs `count` tasks, at most `inFlight` at once. */
async function inParallel(count: number, inFlight: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

test('two users asking the same pages under load each get only their own data, and their own writes at once', async ({
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const newClient = () => playwright.request.newContext({ baseURL });
  const teacherClient = await newClient();
  await createAccount(teacherClient, 'instructor', `Tara${tag}`);

  const person = async (first: string): Promise<Person> => {
    const client = await newClient();
    const user = await createAccount(client, 'student', `${first}${tag}`);
    const courseTitle = `Course of ${first} ${tag}`;
    const course = (
      await json(await teacherClient.post('/api/courses', { data: { title: courseTitle, code: first } }), 'course', 201)
    ).data;
    expect((await client.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(201);
    const id = (await json(await client.get('/api/auth/me'), 'me')).user.id as string;
    const name = `${user.firstName} ${user.lastName}`;
    return {
      client,
      id,
      name,
      courseTitle,
      private: new Set([name, courseTitle, id]),
      unreadNotifications: 0,
      unreadMessages: 0,
      lastMessage: '',
    };
  };
  const [avery, blake] = [await person('Avery'), await person('Blake')];

  const notify = async (to: Person, title: string) => {
    to.private.add(title);
    const res = await teacherClient.post('/api/notifications/create', {
      data: { recipientId: to.id, title, message: `${title}, in detail.` },
    });
    expect(res.status(), await res.text()).toBe(201);
    to.unreadNotifications += 1;
  };
  const message = async (to: Person, content: string) => {
    to.private.add(content);
    const res = await teacherClient.post('/api/messaging/messages', { data: { toUserId: to.id, content } });
    expect(res.status(), await res.text()).toBe(201);
    to.lastMessage = content;
    to.unreadMessages += 1;
    // A message also notifies its recipient, in the same write: one notification per
    // conversation while it is unread (later messages collapse into it).
    if (to.unreadMessages === 1) to.unreadNotifications += 1;
  };
  for (const [p, count] of [
    [avery, 3],
    [blake, 1],
  ] as const) {
    for (let i = 1; i <= count; i++) await notify(p, `For ${p.name} #${i}`);
    for (let i = 1; i <= count; i++) await message(p, `Hello ${p.name}, note ${i}`);
  }

  try {
    // Phase 1: alternating users, every page in turn, 20 in flight; every answer exact.
    const started = Date.now();
    await inParallel(TOTAL_REQUESTS, IN_FLIGHT, async (i) => {
      const [me, other] = i % 2 === 0 ? [avery, blake] : [blake, avery];
      const [, check] = pages[Math.floor(i / 2) % pages.length]!;
      await check(me, other, { exact: true });
    });

    test
      .info()
      .annotations.push({ type: 'phase 1', description: `${TOTAL_REQUESTS} requests in ${Date.now() - started} ms` });
    const phase2 = Date.now();

    // Phase 2: writes while the load goes on. The background checks what cannot change (it is
    // mine, never the other's); each write is checked exactly on the very next request.
    let writing = true;
    const background = Promise.all(
      Array.from({ length: BACKGROUND }, async (_, lane) => {
        for (let i = lane; writing; i += BACKGROUND) {
          const [me, other] = i % 2 === 0 ? [avery, blake] : [blake, avery];
          await pages[Math.floor(i / 2) % pages.length]![1](me, other, { exact: false });
        }
      }),
    );
    try {
      for (let round = 0; round < 6; round++) {
        const [me, other] = round % 2 === 0 ? [avery, blake] : [blake, avery];
        if (round % 4 < 2) {
          const title = `Fresh for ${me.name} ${round}`;
          await notify(me, title);
          const body = await json(await me.client.get('/api/notifications'), 'notifications after a write');
          expect(body.unreadCount).toBe(me.unreadNotifications);
          expect(body.notifications[0].title).toBe(title);
        } else {
          const content = `Fresh note for ${me.name} ${round}`;
          await message(me, content);
          const body = await json(await me.client.get('/api/messaging/conversations'), 'conversations after a write');
          expect(body.conversations[0]).toMatchObject({ lastMessage: content, unreadCount: me.unreadMessages });
        }
        // And on the page that shows it, and the list that counts it; never on the other's.
        const shown =
          round % 4 < 2 ? ['/notifications', '/api/notifications'] : ['/messages', '/api/messaging/conversations'];
        for (const [path, check] of pages) if (shown.includes(path)) await check(me, other, { exact: true });
        for (const [path, check] of pages) if (shown.includes(path)) await check(other, me, { exact: true });
      }
    } finally {
      writing = false;
      await background;
    }
    test.info().annotations.push({ type: 'phase 2', description: `6 writes in ${Date.now() - phase2} ms` });
  } finally {
    await Promise.all([avery.client.dispose(), blake.client.dispose(), teacherClient.dispose()]);
  }
});
