/**
 * Likes, comments, replies and responses on videos through the JSON API: exact counts under
 * concurrency, the original's keys, and every refusal (404 for what you may not see, 400 for
 * bad bodies, 413 for oversize ones).
 */
import type { APIRequestContext } from '@playwright/test';
import { expect, newUserData, test } from './fixtures';
import {
  courseWithAssignment,
  newClient,
  newInstructorClient,
  newStudentClient,
  uploadAndFinalize,
} from './course-builders';
import { fakeMp4 } from './video-fixture';

const SMALL = fakeMp4(4096);
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

async function submittedVideo(student: APIRequestContext, assignmentId: string): Promise<string> {
  const res = await uploadAndFinalize(student, assignmentId, SMALL);
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).submission.videoId;
}

/** A class with Alice's class-visible video and her private one, and Bob, a classmate. */
async function aClass(playwright: Parameters<typeof newClient>[0], baseURL: string | undefined) {
  const teacher = await newInstructorClient(playwright, baseURL);
  const { course, assignment } = await courseWithAssignment(teacher);
  const hidden = (
    await (
      await teacher.post('/api/assignments', {
        data: {
          courseId: course.id,
          title: 'Private reflection',
          dueDate: new Date(Date.now() + 3 * 86400_000).toISOString(),
          visibility: 'private',
        },
      })
    ).json()
  ).data;
  const alice = await newStudentClient(playwright, baseURL, course.joinCode);
  const bob = await newStudentClient(playwright, baseURL, course.joinCode);
  const openVideo = await submittedVideo(alice, assignment.id);
  const privateVideo = await submittedVideo(alice, hidden.id);
  return { teacher, alice, bob, course, assignment, openVideo, privateVideo };
}

test.describe('likes', () => {
  test('100 students liking at the same moment make exactly 100; a double like counts once', async ({
    playwright,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    const { bob, course, openVideo } = await aClass(playwright, baseURL);
    const api = await newClient(playwright, baseURL);
    // Bearer tokens: one client, a hundred identities, no cookies to keep apart.
    const tokens = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const signup = await api.post('/api/auth/signup', { data: newUserData('student', `Liker${i}`) });
        expect(signup.status()).toBe(201);
        const token: string = (await signup.json()).tokens.accessToken;
        const joined = await api.post('/api/courses/join', {
          headers: { Authorization: `Bearer ${token}` },
          data: { joinCode: course.joinCode },
        });
        expect(joined.status()).toBe(201);
        return token;
      }),
    );
    const likes = await Promise.all(
      tokens.map((token) =>
        api.post(`/api/videos/${openVideo}/like`, {
          headers: { Authorization: `Bearer ${token}` },
          data: { isLiked: true },
        }),
      ),
    );
    expect(likes.map((r) => r.status())).toEqual(tokens.map(() => 200));
    const video = (await (await bob.get(`/api/videos/${openVideo}`)).json()).video;
    expect(video.likes).toBe(100);

    // One user's double click: two "like" requests at once count once.
    const double = await Promise.all([
      bob.post(`/api/videos/${openVideo}/like`, { data: { isLiked: true } }),
      bob.post(`/api/videos/${openVideo}/like`, { data: { isLiked: true } }),
    ]);
    for (const res of double) expect(await res.json()).toMatchObject({ success: true, isLiked: true, liked: true });
    expect((await (await bob.get(`/api/videos/${openVideo}`)).json()).video.likes).toBe(101);

    // Absent isLiked toggles, with the original's keys and the aliases.
    const toggled = await (await bob.post(`/api/videos/${openVideo}/like`, { data: {} })).json();
    expect(toggled).toEqual({ success: true, likes: 100, isLiked: false, liked: false, likeCount: 100 });
    await api.dispose();
  });

  test('a private video of someone else, an unknown one, and outsiders get 404; bad bodies 400', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, openVideo, privateVideo } = await aClass(playwright, baseURL);
    const outsider = await newClient(playwright, baseURL);
    await outsider.post('/api/auth/signup', { data: newUserData('student') });
    expect((await bob.post(`/api/videos/${privateVideo}/like`, { data: {} })).status()).toBe(404);
    expect((await bob.post(`/api/videos/${UNKNOWN_ID}/like`, { data: {} })).status()).toBe(404);
    expect((await outsider.post(`/api/videos/${openVideo}/like`, { data: {} })).status()).toBe(404);
    const bad = await bob.post(`/api/videos/${openVideo}/like`, { data: { isLiked: 'yes please' } });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ success: false, code: 'VALIDATION_ERROR', details: { fields: {} } });
    expect((await bob.get(`/api/videos/${openVideo}/like`)).status()).toBe(405);
    const anonymous = await newClient(playwright, baseURL);
    expect((await anonymous.post(`/api/videos/${openVideo}/like`, { data: {} })).status()).toBe(401);
    // The owner's own like counts; nothing above did.
    expect(await (await alice.post(`/api/videos/${privateVideo}/like`, { data: {} })).json()).toMatchObject({
      likes: 1,
      isLiked: true,
    });
    expect((await (await alice.get(`/api/videos/${openVideo}`)).json()).video.likes).toBe(0);
  });
});

test.describe('comments, replies and responses', () => {
  test('post, list with replies, page, and delete — in the original shapes', async ({ playwright, baseURL }) => {
    const { teacher, alice, bob, openVideo } = await aClass(playwright, baseURL);
    // A DELETE on the session cookie shows its origin and (the CSRF guard asks it of every
    // /api write, see app/utils/csrf.server.ts) says JSON.
    const headers = { Origin: baseURL ?? '', 'Content-Type': 'application/json' };
    const posted = await bob.post(`/api/videos/${openVideo}/interactions`, {
      data: { type: 'comment', content: 'Love the intro', atSeconds: 3 },
    });
    expect(posted.status(), await posted.text()).toBe(201);
    const { interaction } = await posted.json();
    expect(interaction).toMatchObject({
      videoId: openVideo,
      type: 'comment',
      content: 'Love the intro',
      atSeconds: 3,
      parentId: null,
      isFeedback: false,
      userName: expect.any(String),
    });
    for (const key of ['id', 'userId', 'userAvatar', 'createdAt']) expect(interaction).toHaveProperty(key);

    const reply = await teacher.post(`/api/videos/${openVideo}/interactions`, {
      data: { type: 'comment', content: 'Agreed', parentId: interaction.id },
    });
    expect(reply.status()).toBe(201);
    const nested = await alice.post(`/api/videos/${openVideo}/interactions`, {
      data: { type: 'comment', content: 'Deeper', parentId: (await reply.json()).interaction.id },
    });
    expect(nested.status()).toBe(400);
    await alice.post(`/api/videos/${openVideo}/interactions`, { data: { content: 'Thanks all' } });

    const first = await (await alice.get(`/api/videos/${openVideo}/interactions?limit=1`)).json();
    expect(first).toMatchObject({ success: true, count: 1, nextCursor: expect.any(String) });
    expect(first.interactions[0].content).toBe('Thanks all');
    const rest = await (
      await alice.get(`/api/videos/${openVideo}/interactions?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json();
    expect(rest.interactions[0]).toMatchObject({ content: 'Love the intro', replies: [{ content: 'Agreed' }] });
    const video = (await (await alice.get(`/api/videos/${openVideo}`)).json()).video;
    expect(video.comments).toBe(3);

    // Only the author or a moderator deletes; the video's owner is neither.
    const byOwner = await alice.delete(`/api/videos/${openVideo}/interactions/${interaction.id}`, { headers });
    expect((await byOwner.json()).error).toMatch(/author or the course instructor/);
    expect(byOwner.status()).toBe(403);
    const byAuthor = await bob.delete(`/api/videos/${openVideo}/interactions/${interaction.id}`, { headers });
    expect(byAuthor.status()).toBe(200);
    expect((await (await alice.get(`/api/videos/${openVideo}`)).json()).video.comments).toBe(1);
    const last = (await (await alice.get(`/api/videos/${openVideo}/interactions`)).json()).interactions[0];
    const byPost = await teacher.post(`/api/videos/${openVideo}/interactions/${last.id}`, {
      data: { _action: 'delete' },
    });
    expect(byPost.status(), await byPost.text()).toBe(200);
    expect((await bob.delete(`/api/videos/${openVideo}/interactions/${last.id}`, { headers })).status()).toBe(404);
  });

  test('type like answers as the like endpoint; a response links your own video', async ({ playwright, baseURL }) => {
    const { bob, assignment, openVideo, privateVideo } = await aClass(playwright, baseURL);
    const liked = await bob.post(`/api/videos/${openVideo}/interactions`, { data: { type: 'like' } });
    expect(await liked.json()).toMatchObject({ success: true, likes: 1, isLiked: true });
    const mine = await submittedVideo(bob, assignment.id);
    const response = await bob.post(`/api/videos/${openVideo}/interactions`, {
      data: { type: 'response', content: 'My answer to yours', responseVideoId: mine },
    });
    expect(response.status()).toBe(201);
    expect((await response.json()).interaction).toMatchObject({ type: 'response', responseVideoId: mine });
    const notMine = await bob.post(`/api/videos/${openVideo}/interactions`, {
      data: { type: 'response', content: 'x', responseVideoId: privateVideo },
    });
    expect(notMine.status()).toBe(404);
    const listed = await (await bob.get(`/api/videos/${openVideo}/interactions?type=response`)).json();
    expect(listed.interactions.map((i: { type: string }) => i.type)).toEqual(['response']);
  });

  test('bad input is a clear 4xx, never a 500', async ({ playwright, baseURL }) => {
    const { bob, openVideo, privateVideo } = await aClass(playwright, baseURL);
    const url = `/api/videos/${openVideo}/interactions`;
    const cases: Array<[unknown, number, string]> = [
      [{ type: 'comment', content: '' }, 400, 'content'],
      [{ type: 'comment', content: '   ' }, 400, 'content'],
      [{ type: 'comment', content: 'x'.repeat(2001) }, 400, 'content'],
      [{ type: 'comment', content: 'x', atSeconds: -4 }, 400, 'atSeconds'],
      [{ type: 'comment', content: 'x', atSeconds: 'later' }, 400, 'atSeconds'],
      [{ type: 'comment', content: 'x', parentId: UNKNOWN_ID }, 400, 'parentId'],
      [{ type: 'rating', rating: 5 }, 400, 'type'],
      [{ type: 'poke', content: 'x' }, 400, 'type'],
      [{ type: 'response', content: 'x' }, 400, 'responseVideoId'],
    ];
    for (const [data, status, field] of cases) {
      const res = await bob.post(url, { data: data as Record<string, unknown> });
      expect(res.status(), JSON.stringify(data)).toBe(status);
      const body = await res.json();
      expect(body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
      expect(Object.keys(body.details.fields)).toContain(field);
    }
    const notJson = await bob.post(url, { headers: { 'Content-Type': 'application/json' }, data: '{nope' });
    expect(notJson.status()).toBe(400);
    const huge = await bob.post(url, { data: { type: 'comment', content: 'x'.repeat(1_100_000) } });
    expect(huge.status()).toBe(413);
    expect((await bob.get(`${url}?cursor=garbage`)).status()).toBe(400);
    expect((await bob.get(`${url}?limit=0`)).status()).toBe(400);
    expect((await bob.get(`${url}?type=like`)).status()).toBe(400);
    expect((await bob.get(`/api/videos/${privateVideo}/interactions`)).status()).toBe(404);
    expect((await bob.post(`/api/videos/${privateVideo}/interactions`, { data: { content: 'hi' } })).status()).toBe(
      404,
    );
    expect((await bob.get(`/api/videos/${UNKNOWN_ID}/interactions`)).status()).toBe(404);
    expect(
      (
        await bob.delete(`${url}/${UNKNOWN_ID}`, {
          headers: { Origin: baseURL ?? '', 'Content-Type': 'application/json' },
        })
      ).status(),
    ).toBe(404);
    expect((await bob.post(`${url}/${UNKNOWN_ID}`, { data: { _action: 'archive' } })).status()).toBe(400);
    expect((await (await bob.get(`/api/videos/${openVideo}`)).json()).video.comments).toBe(0);
  });
});
