/**
 * Community posts through the JSON API: the original's shapes, exact counts, who may edit,
 * delete and moderate, and every bad input answered with a clear 4xx.
 */
import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { enrolledStudent, newClient, newInstructorClient } from './course-builders';

const UNKNOWN = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

async function communityClass(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined) {
  const teacher = await newInstructorClient(playwright, baseURL);
  const course = (await (await teacher.post('/api/courses', { data: { title: 'Forum Lab', code: 'FL-1' } })).json())
    .data;
  const alice = await newClient(playwright, baseURL);
  const aliceUser = await enrolledStudent(alice, course.joinCode, 'Alice');
  const bob = await newClient(playwright, baseURL);
  await enrolledStudent(bob, course.joinCode, 'Bob');
  const outsider = await newClient(playwright, baseURL);
  await createAccount(outsider, 'student');
  return { teacher, course, alice, aliceUser, bob, outsider };
}

/**
 * A DELETE as a non-browser client sends it: cookie-authenticated API calls without an
 * Origin must say they are JSON (the CSRF rule), even with no body.
 */
function del(client: APIRequestContext, url: string) {
  return client.delete(url, { headers: { 'Content-Type': 'application/json' } });
}

async function post(client: APIRequestContext, courseId: string, data: Record<string, unknown> = {}) {
  const res = await client.post('/api/community/posts', {
    data: { courseId, title: 'Study group?', content: 'Thursday at 5, library.', ...data },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).post;
}

test('a student posts; a classmate lists, likes and comments; counts are exact', async ({ playwright, baseURL }) => {
  const { course, alice, aliceUser, bob } = await communityClass(playwright, baseURL);
  const created = await post(alice, course.id);
  expect(created).toMatchObject({
    title: 'Study group?',
    content: 'Thursday at 5, library.',
    author: `Alice ${aliceUser.lastName}`,
    authorAvatar: null,
    authorRole: 'student',
    isAnnouncement: false,
    likes: 0,
    comments: 0,
    isLiked: false,
    courseId: course.id,
  });

  const listRes = await bob.get(`/api/community/posts?courseId=${course.id}`);
  expect(listRes.status()).toBe(200);
  const list = await listRes.json();
  expect(list).toMatchObject({ success: true, count: 1, nextCursor: null });
  expect(Object.keys(list.posts[0])).toEqual(
    expect.arrayContaining([
      'id',
      'title',
      'content',
      'author',
      'authorAvatar',
      'authorRole',
      'isAnnouncement',
      'likes',
      'comments',
      'timestamp',
      'isLiked',
      'courseId',
    ]),
  );

  const like = (body?: Record<string, unknown>) =>
    bob.post(`/api/community/posts/${created.id}/like`, { data: body ?? {} });
  expect(await (await like()).json()).toMatchObject({ success: true, likes: 1, isLiked: true });
  expect(await (await like({ isLiked: true })).json()).toMatchObject({ likes: 1, isLiked: true });
  expect(await (await like()).json()).toMatchObject({ likes: 0, isLiked: false });
  expect(await (await like({ isLiked: true })).json()).toMatchObject({ likes: 1, isLiked: true });

  const commentRes = await bob.post(`/api/community/posts/${created.id}/comments`, {
    data: { content: 'Count me in' },
  });
  expect(commentRes.status()).toBe(201);
  const { comment } = await commentRes.json();
  const replyRes = await alice.post(`/api/community/posts/${created.id}/comments`, {
    data: { content: 'Great!', parentId: comment.id },
  });
  expect(replyRes.status()).toBe(201);
  const comments = await (await alice.get(`/api/community/posts/${created.id}/comments`)).json();
  expect(comments).toMatchObject({ success: true, count: 1, nextCursor: null });
  expect(comments.comments[0]).toMatchObject({ id: comment.id, content: 'Count me in', replyCount: 1 });
  expect(comments.comments[0].replies.map((r: any) => r.content)).toEqual(['Great!']);

  const seen = (await (await alice.get(`/api/community/posts/${created.id}`)).json()).post;
  expect(seen).toMatchObject({ likes: 1, comments: 2, isLiked: false });
  expect((await (await bob.get(`/api/community/posts/${created.id}`)).json()).post.isLiked).toBe(true);
});

test('authors edit, classmates may not; the instructor moderates', async ({ playwright, baseURL }) => {
  const { teacher, course, alice, bob } = await communityClass(playwright, baseURL);
  const created = await post(alice, course.id);
  const edited = await alice.patch(`/api/community/posts/${created.id}`, { data: { title: 'Study group (moved)' } });
  expect(edited.status()).toBe(200);
  expect((await edited.json()).post).toMatchObject({ title: 'Study group (moved)', content: created.content });
  expect((await bob.patch(`/api/community/posts/${created.id}`, { data: { title: 'Mine now' } })).status()).toBe(403);
  expect((await teacher.patch(`/api/community/posts/${created.id}`, { data: { content: 'Rewritten' } })).status()).toBe(
    403,
  );
  expect((await alice.patch(`/api/community/posts/${created.id}`, { data: { isAnnouncement: true } })).status()).toBe(
    403,
  );
  const pinned = await teacher.patch(`/api/community/posts/${created.id}`, { data: { isAnnouncement: true } });
  expect((await pinned.json()).post.isAnnouncement).toBe(true);

  const { comment } = await (
    await bob.post(`/api/community/posts/${created.id}/comments`, { data: { content: 'Off topic' } })
  ).json();
  expect((await del(alice, `/api/community/posts/${created.id}/comments/${comment.id}`)).status()).toBe(403);
  expect((await del(teacher, `/api/community/posts/${created.id}/comments/${comment.id}`)).status()).toBe(200);
  expect((await (await alice.get(`/api/community/posts/${created.id}`)).json()).post.comments).toBe(0);

  expect((await del(bob, `/api/community/posts/${created.id}`)).status()).toBe(403);
  const removed = await del(teacher, `/api/community/posts/${created.id}`);
  expect(removed.status()).toBe(200);
  expect(await removed.json()).toMatchObject({ success: true });
  expect((await alice.get(`/api/community/posts/${created.id}`)).status()).toBe(404);
  expect((await (await alice.get(`/api/community/posts?courseId=${course.id}`)).json()).posts).toEqual([]);
});

test('announcements are for the instructor: a student’s flag is refused with 403', async ({ playwright, baseURL }) => {
  const { teacher, course, alice } = await communityClass(playwright, baseURL);
  const refused = await alice.post('/api/community/posts', {
    data: { courseId: course.id, title: 'Exam cancelled!', content: 'Not really', isAnnouncement: true },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe('FORBIDDEN');
  expect((await post(teacher, course.id, { isAnnouncement: true })).isAnnouncement).toBe(true);
  const list = await (await alice.get(`/api/community/posts?courseId=${course.id}`)).json();
  expect(list.posts.map((p: any) => [p.authorRole, p.isAnnouncement])).toEqual([['instructor', true]]);
});

test('bad input and strangers get clear errors and change nothing', async ({ playwright, baseURL }) => {
  const { course, alice, outsider } = await communityClass(playwright, baseURL);
  const created = await post(alice, course.id);

  const noCourse = await alice.get('/api/community/posts');
  expect(noCourse.status()).toBe(400);
  expect(await noCourse.json()).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
  expect((await alice.get(`/api/community/posts?courseId=${course.id}&cursor=not-a-cursor`)).status()).toBe(400);
  expect((await alice.get(`/api/community/posts?courseId=${course.id}&limit=0`)).status()).toBe(400);

  for (const [data, field] of [
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ content: '   ' }, 'content'],
    [{ content: 'x'.repeat(10_001) }, 'content'],
  ] as const) {
    const res = await alice.post('/api/community/posts', {
      data: { courseId: course.id, ...{ title: 'T', content: 'C' }, ...data },
    });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(body.details.fields[field]).toBeTruthy();
  }
  for (const content of ['', 'x'.repeat(2001)]) {
    const res = await alice.post(`/api/community/posts/${created.id}/comments`, { data: { content } });
    expect(res.status()).toBe(400);
    expect((await res.json()).details.fields.content).toBeTruthy();
  }

  expect((await outsider.get(`/api/community/posts?courseId=${course.id}`)).status()).toBe(403);
  expect((await outsider.get(`/api/community/posts/${created.id}`)).status()).toBe(403);
  expect((await outsider.post(`/api/community/posts/${created.id}/like`, { data: {} })).status()).toBe(403);
  expect(
    (await outsider.post(`/api/community/posts/${created.id}/comments`, { data: { content: 'hi' } })).status(),
  ).toBe(403);
  expect(
    (await outsider.post('/api/community/posts', { data: { courseId: course.id, title: 'T', content: 'C' } })).status(),
  ).toBe(403);

  expect((await alice.get(`/api/community/posts/${UNKNOWN}`)).status()).toBe(404);
  expect((await alice.post(`/api/community/posts/${UNKNOWN}/like`, { data: {} })).status()).toBe(404);
  expect((await alice.get(`/api/community/posts/${UNKNOWN}/comments`)).status()).toBe(404);
  expect((await del(alice, `/api/community/posts/${created.id}/comments/${UNKNOWN}`)).status()).toBe(404);
  expect((await alice.get(`/api/community/posts?courseId=${UNKNOWN}`)).status()).toBe(404);

  const anonymous = await newClient(playwright, baseURL);
  expect((await anonymous.get(`/api/community/posts?courseId=${course.id}`)).status()).toBe(401);

  const after = (await (await alice.get(`/api/community/posts/${created.id}`)).json()).post;
  expect(after).toMatchObject({ likes: 0, comments: 0, title: created.title });
});
