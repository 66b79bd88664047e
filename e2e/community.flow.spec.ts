/**
 * A course community, with JavaScript (likes through a fetcher) and without (plain forms,
 * post-redirect-get): a student posts, a classmate likes and comments, the author replies
 * and edits, the instructor deletes, a stranger is turned away. Every text field carries
 * script and HTML payloads that must show as text and never run.
 */
import type { Browser, Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, test } from './fixtures';

const TITLE = 'Study group <img src=x onerror="window.__xss=1;alert(1)"> <script>window.__xss=2</script>';
const BODY = [
  'Thursday at 5 <script>window.__xss=3;alert(3)</script>',
  'Notes: https://example.org/notes, not javascript:window.__xss=4',
  '',
  'Bring <b>snacks</b>.',
].join('\n');
const COMMENT = 'Count me in <img src=x onerror="window.__xss=5;alert(5)">';

async function personIn(browser: Browser, role: 'student' | 'instructor', name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const user = await createAccount(context.request, role, name);
  return { context, page, user, dialogs };
}

/** Nothing a user typed ran: no script set our marker, no dialog opened. */
async function expectNothingRan(page: Page, dialogs: string[]) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('main img[src="x"]').count()).toBe(0);
}

test('post, like, comment, reply, edit, moderate — and no payload runs', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const teacher = await personIn(browser, 'instructor', 'Tara');
  const course = (
    await (await teacher.context.request.post('/api/courses', { data: { title: 'Ecology', code: 'ECO-1' } })).json()
  ).data;
  const alice = await personIn(browser, 'student', 'Alice');
  const bob = await personIn(browser, 'student', 'Bob');
  for (const s of [alice, bob]) {
    expect((await s.context.request.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(
      201,
    );
  }

  // Alice finds the community from the course page and posts.
  await alice.page.goto(`/courses/${course.id}`);
  await alice.page.getByRole('link', { name: 'Course community' }).click();
  await expect(alice.page.getByRole('heading', { level: 1 })).toHaveText('Community: Ecology');
  await expectAccessible(alice.page);
  await alice.page.getByLabel('Title').fill('');
  await alice.page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(alice.page.getByText('Title is required.')).toBeVisible();
  await alice.page.getByLabel('Title').fill(TITLE);
  await alice.page.getByLabel('Post', { exact: true }).fill(BODY);
  await alice.page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(alice.page.getByText('Your post is up.')).toBeVisible();
  const card = alice.page.getByTestId('post');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('heading', { level: 3 })).toHaveText(TITLE);
  await expect(card.getByText('Thursday at 5 <script>window.__xss=3;alert(3)</script>')).toBeVisible();
  await expect(card.getByText('Bring <b>snacks</b>.')).toBeVisible();
  const link = card.getByRole('link', { name: 'https://example.org/notes' });
  await expect(link).toHaveAttribute('href', 'https://example.org/notes');
  await expect(link).toHaveAttribute('rel', 'nofollow ugc noopener noreferrer');
  expect(await link.getAttribute('target')).toBeNull();
  await expect(card.getByRole('link', { name: /javascript:/ })).toHaveCount(0);
  await expect(card.getByText('No posts yet.')).toHaveCount(0);
  await expectNothingRan(alice.page, alice.dialogs);
  await expectAccessible(alice.page);

  // Bob likes it from the list (toggle off and on again), then comments on its page.
  await bob.page.goto(`/community?courseId=${course.id}`);
  const bobCard = bob.page.getByTestId('post');
  await expect(bobCard.getByRole('heading', { level: 3 })).toHaveText(TITLE);
  // With JavaScript the like goes through a fetcher (a data request), not a page load.
  const likeRequest = js
    ? bob.page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname.endsWith('.data'))
    : null;
  await bobCard.getByRole('button', { name: /^Like/ }).click();
  await expect(bobCard.getByTestId('like-count')).toHaveText('1 like');
  await expect(bobCard.getByRole('button', { name: /^Liked/ })).toHaveAttribute('aria-pressed', 'true');
  await likeRequest;
  await bobCard.getByRole('button', { name: /^Liked/ }).click();
  await expect(bobCard.getByTestId('like-count')).toHaveText('0 likes');
  await bobCard.getByRole('button', { name: /^Like/ }).click();
  await expect(bobCard.getByTestId('like-count')).toHaveText('1 like');
  // Clicks made while a like is on its way are sent after it: reload once all are saved.
  await expect(bobCard.locator('form[aria-busy]')).toHaveAttribute('aria-busy', 'false');
  await bob.page.reload();
  await expect(bobCard.getByTestId('like-count')).toHaveText('1 like');
  await expectNothingRan(bob.page, bob.dialogs);

  await bobCard.getByRole('link', { name: TITLE, exact: true }).click();
  await expect(bob.page).toHaveURL(/\/community\/posts\/[0-9A-Z]{26}$/);
  const postUrl = new URL(bob.page.url()).pathname;
  await expect(bob.page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(bob.page.getByRole('link', { name: 'Edit post' })).toHaveCount(0);
  await expect(bob.page.getByRole('link', { name: 'Delete post' })).toHaveCount(0);
  await expectAccessible(bob.page);
  await bob.page.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(bob.page.getByText('Comment is required.')).toBeVisible();
  await bob.page.getByLabel('Your comment').fill(COMMENT);
  await bob.page.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(bob.page.getByText('Comment posted.')).toBeVisible();
  await expect(bob.page.getByTestId('comment').getByText(COMMENT)).toBeVisible();
  await expect(bob.page.getByRole('heading', { name: 'Comments (1)' })).toBeVisible();
  await expectNothingRan(bob.page, bob.dialogs);

  // Alice replies to Bob and edits her post.
  await alice.page.goto(postUrl);
  await expect(alice.page.getByTestId('like-count')).toHaveText('1 like');
  await alice.page.getByText(/^Reply to Bob/).click();
  await alice.page.getByLabel('Your reply').fill('See you there <script>window.__xss=6</script>');
  await alice.page.getByRole('button', { name: 'Reply', exact: true }).click();
  await expect(alice.page.getByText('Reply posted.')).toBeVisible();
  await expect(
    alice.page.getByTestId('reply').getByText('See you there <script>window.__xss=6</script>'),
  ).toBeVisible();
  await expect(alice.page.getByRole('heading', { name: 'Comments (2)' })).toBeVisible();
  await expectNothingRan(alice.page, alice.dialogs);
  await expectAccessible(alice.page);

  await alice.page.getByRole('link', { name: 'Edit post' }).click();
  await expect(alice.page.getByRole('heading', { name: 'Edit post' })).toBeVisible();
  await expect(alice.page.getByLabel('Announcement', { exact: false })).toHaveCount(0);
  await expectAccessible(alice.page);
  await alice.page.getByLabel('Title').fill('Study group (moved to room 2)');
  await alice.page.getByRole('button', { name: 'Save post' }).click();
  await expect(alice.page.getByText('Post saved.')).toBeVisible();
  await expect(alice.page.getByRole('heading', { level: 1 })).toHaveText('Study group (moved to room 2)');

  // The list shows the exact counts.
  await bob.page.goto(`/community?courseId=${course.id}`);
  await expect(bobCard.getByTestId('like-count')).toHaveText('1 like');
  await expect(bobCard.getByRole('link', { name: /^2 comments/ })).toBeVisible();

  // The instructor moderates: deletes the post after confirming.
  await teacher.page.goto(postUrl);
  await teacher.page.getByRole('link', { name: 'Delete post' }).click();
  await expect(teacher.page.getByRole('heading', { name: 'Delete this post?' })).toBeVisible();
  await expectAccessible(teacher.page);
  await teacher.page.getByRole('button', { name: 'Delete post' }).click();
  await expect(teacher.page.getByText('Post deleted.')).toBeVisible();
  await expect(teacher.page.getByTestId('post')).toHaveCount(0);
  await expect(teacher.page.getByText('No posts yet.')).toBeVisible();
  const gone = await bob.page.goto(postUrl);
  expect(gone?.status()).toBe(404);
  await expect(bob.page.getByText('Post was not found.')).toBeVisible();

  if (js) expect(alice.dialogs.concat(bob.dialogs, teacher.dialogs)).toEqual([]);
  for (const p of [teacher, alice, bob]) await p.context.close();
});

test('someone outside the course gets a clear page, not the posts', async ({ browser }) => {
  const teacher = await personIn(browser, 'instructor', 'Tara');
  const course = (
    await (await teacher.context.request.post('/api/courses', { data: { title: 'Geology', code: 'GEO-1' } })).json()
  ).data;
  const created = await teacher.context.request.post('/api/community/posts', {
    data: { courseId: course.id, title: 'Field trip', content: 'Bring boots.', isAnnouncement: true },
  });
  expect(created.status()).toBe(201);
  const { post } = await created.json();

  // The instructor's announcement is marked in the list.
  await teacher.page.goto(`/community?courseId=${course.id}`);
  await expect(teacher.page.getByTestId('post').getByText('Announcement')).toBeVisible();

  const stranger = await personIn(browser, 'student', 'Sven');
  for (const url of [`/community?courseId=${course.id}`, `/community/posts/${post.id}`]) {
    const res = await stranger.page.goto(url);
    expect(res?.status()).toBe(403);
    await expect(stranger.page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    await expect(stranger.page.getByText('You are not a member of this course.')).toBeVisible();
    await expect(stranger.page.getByText('Bring boots.')).toHaveCount(0);
    await expectAccessible(stranger.page);
  }
  // Without any course, the community page says how to get one.
  await stranger.page.goto('/community');
  await expect(stranger.page.getByText('You are not in a course yet.')).toBeVisible();
  await expectAccessible(stranger.page);
  for (const p of [teacher, stranger]) await p.context.close();
});

test('with JavaScript, a like the server refuses rolls back and says why', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'the optimistic like needs JavaScript');
  const teacher = await personIn(browser, 'instructor', 'Tara');
  const course = (
    await (await teacher.context.request.post('/api/courses', { data: { title: 'Botany', code: 'BOT-1' } })).json()
  ).data;
  const { post } = await (
    await teacher.context.request.post('/api/community/posts', {
      data: { courseId: course.id, title: 'Seeds', content: 'Plant them.' },
    })
  ).json();
  const bob = await personIn(browser, 'student', 'Bob');
  await bob.context.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
  await bob.page.goto(`/community/posts/${post.id}`);
  await expect(bob.page.getByTestId('like-count')).toHaveText('0 likes');
  // The post goes away while Bob is looking at it.
  const removed = await teacher.context.request.delete(`/api/community/posts/${post.id}`, {
    headers: { 'Content-Type': 'application/json' },
  });
  expect(removed.status()).toBe(200);
  await bob.page.getByRole('button', { name: /^Like/ }).click();
  await expect(bob.page.getByRole('alert').filter({ hasText: 'Post was not found.' })).toBeVisible();
  await expect(bob.page.getByTestId('like-count')).toHaveText('0 likes');
  await expect(bob.page.getByRole('button', { name: /^Like/ })).toHaveAttribute('aria-pressed', 'false');
  for (const p of [teacher, bob]) await p.context.close();
});
