/**
 * The class's videos as a conversation, with JavaScript and without: a student finds a
 * classmate's video in the assignment's gallery, likes it, comments at a moment and jumps to
 * it; the instructor leaves time-coded feedback the student then sees; markup in comments
 * stays text.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, test } from './fixtures';
import { uploadAndFinalize } from './course-builders';
import { recordTinyWebm } from './video-fixture';
import { readFileSync } from 'node:fs';

/** Without JavaScript a form post reloads the page; with it the fetcher updates in place. */
async function signedIn(browser: Browser, role: 'student' | 'instructor', name: string) {
  const context = await browser.newContext();
  const user = await createAccount(context.request, role, name);
  return { context, page: await context.newPage(), user };
}

async function aClassWithAVideo(browser: Browser) {
  const teacher = await signedIn(browser, 'instructor', 'Tara');
  const course = (
    await (await teacher.context.request.post('/api/courses', { data: { title: 'Film Club', code: 'FC-1' } })).json()
  ).data;
  const assignment = (
    await (
      await teacher.context.request.post('/api/assignments', {
        data: {
          courseId: course.id,
          title: 'Review a scene',
          dueDate: new Date(Date.now() + 3 * 86400_000).toISOString(),
          visibility: 'class',
        },
      })
    ).json()
  ).data;
  const alice = await signedIn(browser, 'student', 'Alice');
  const bob = await signedIn(browser, 'student', 'Bob');
  for (const s of [alice, bob])
    await s.context.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
  const webm = readFileSync(await recordTinyWebm(browser));
  const finalized = await uploadAndFinalize(alice.context.request, assignment.id, webm, {
    contentType: 'video/webm',
    finalize: { videoTitle: 'Alice on the chase scene' },
  });
  expect(finalized.status(), await finalized.text()).toBe(201);
  const submission = (await finalized.json()).submission;
  return { teacher, alice, bob, course, assignment, submission };
}

function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

async function closeAll(...contexts: BrowserContext[]) {
  for (const c of contexts) await c.close();
}

test('a student likes and comments at a moment on a classmate’s video found in the class gallery', async ({
  browser,
}, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const { teacher, alice, bob, assignment, submission } = await aClassWithAVideo(browser);
  const page = bob.page;

  // The gallery on the assignment page: Alice's video, its author and counts.
  await page.goto(`/assignments/${assignment.id}`);
  const gallery = page.getByTestId('class-gallery');
  await expect(gallery.getByRole('link', { name: 'Alice on the chase scene' })).toBeVisible();
  await expect(gallery.getByText('Alice Tester')).toBeVisible();
  await expect(gallery.getByTestId('gallery-likes')).toHaveText('0 likes');
  await expectAccessible(page);
  await gallery.getByRole('link', { name: 'Alice on the chase scene' }).click();
  await expect(page).toHaveURL(new RegExp(`/videos/${submission.videoId}$`));
  await expect(page.getByRole('heading', { name: 'Alice on the chase scene' })).toBeVisible();

  // Like: the heart and the count change (in place with JS, by a reload without).
  const like = page.getByTestId('like-button');
  await expect(page.getByTestId('like-count')).toHaveText('0 likes');
  // With JS the count changes before the server answers; reload only once it has.
  const liked = page.waitForResponse((r) => r.request().method() === 'POST');
  await like.click();
  await liked;
  await expect(page.getByTestId('like-count')).toHaveText('1 like');
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByTestId('like-count')).toHaveText('1 like');
  await expect(page.getByTestId('like-button')).toHaveText(/Liked/);

  // A comment at a moment.
  await page.getByLabel('Add a comment').fill('The cut at one second is great.');
  await page.getByLabel('At moment (m:ss)').fill('0:01');
  await page.getByRole('button', { name: 'Post comment' }).click();
  const comment = page.getByRole('article', { name: 'Comment by Bob Tester' });
  await expect(comment.getByText('The cut at one second is great.')).toBeVisible();
  await expect(page.getByTestId('comment-count')).toHaveText('1 comment');
  const moment = comment.getByRole('link', { name: 'Play from 0:01' });
  await expect(moment).toHaveText('0:01');
  await expectAccessible(page);

  // The moment: with JS the player seeks there; without, the page reopens the player at it.
  await moment.click();
  if (js) {
    await expect
      .poll(() => page.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime))
      .toBeGreaterThanOrEqual(0.9);
    expect(page.url()).not.toContain('?t=');
  } else {
    await expect(page).toHaveURL(new RegExp(`/videos/${submission.videoId}\\?t=1#player$`));
    await expect(page.locator('video source')).toHaveAttribute('src', /#t=1$/);
  }

  // A reply, one level deep (a <details> opens without JS too).
  await page.getByText('Reply to Bob Tester').click();
  await page.getByLabel('Your reply').fill('Agreed, and the sound too.');
  await page.getByRole('button', { name: 'Post reply' }).click();
  await expect(page.getByRole('list', { name: 'Replies' }).getByText('Agreed, and the sound too.')).toBeVisible();
  await expect(page.getByTestId('comment-count')).toHaveText('2 comments');

  // An empty comment is explained and nothing is written.
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByText('Write something first.')).toBeVisible();
  await page.goto(`/videos/${submission.videoId}`);
  await expect(page.getByTestId('comment-count')).toHaveText('2 comments');

  // Back in the gallery the counts have followed.
  await page.goto(`/assignments/${assignment.id}`);
  await expect(page.getByTestId('gallery-likes')).toHaveText('1 like');
  await expect(page.getByTestId('gallery-comments')).toHaveText('2 comments');

  // The author deletes their reply; the classmate who owns the video cannot delete Bob's comment.
  await page.goto(`/videos/${submission.videoId}`);
  await page.getByRole('button', { name: 'Delete the comment by Bob Tester' }).last().click();
  await expect(page.getByTestId('comment-count')).toHaveText('1 comment');
  await alice.page.goto(`/videos/${submission.videoId}`);
  await expect(alice.page.getByText('The cut at one second is great.')).toBeVisible();
  await expect(alice.page.getByRole('button', { name: /Delete the comment by Bob/ })).toHaveCount(0);
  await closeAll(teacher.context, alice.context, bob.context);
});

test('the like rolls back when the server refuses it', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'the optimistic heart needs JavaScript');
  const { teacher, alice, bob, submission } = await aClassWithAVideo(browser);
  const page = bob.page;
  await page.goto(`/videos/${submission.videoId}`);
  await expect(page.getByTestId('like-count')).toHaveText('0 likes');
  // The first like is sent to an unknown video: the server answers 404 after the heart has
  // already turned (optimistically).
  let rewritten = false;
  await page.route(/\/videos\/[0-9A-Z]{26}\.data/, async (route) => {
    if (route.request().method() !== 'POST' || rewritten) return route.continue();
    rewritten = true;
    await expect(page.getByTestId('like-count')).toHaveText('1 like');
    await route.continue({ url: route.request().url().replace(submission.videoId, '01ARZ3NDEKTSV4RRFFQ69G5FAV') });
  });
  await page.getByTestId('like-button').click();
  await expect(page.getByRole('alert').filter({ hasText: 'Video was not found.' })).toBeVisible();
  await expect(page.getByTestId('like-count')).toHaveText('0 likes');
  await expect(page.getByTestId('like-button')).toHaveAttribute('aria-pressed', 'false');
  expect(rewritten).toBe(true);
  await closeAll(teacher.context, alice.context, bob.context);
});

test('the instructor leaves time-coded feedback that the student sees', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const { teacher, alice, bob, submission } = await aClassWithAVideo(browser);

  await teacher.page.goto(`/submissions/${submission.id}`);
  const moments = teacher.page.getByRole('region', { name: 'Moments in the video' });
  await expect(moments.getByText('Pause the video where you want to say something.')).toBeVisible();
  await teacher.page.getByLabel('Note at this moment').fill('Hold this shot longer.');
  await teacher.page.getByLabel('At moment (m:ss)').fill('0:01');
  await teacher.page.getByRole('button', { name: 'Add note' }).click();
  await expect(moments.getByText('Hold this shot longer.')).toBeVisible();
  await expect(moments.getByText('Feedback', { exact: true })).toBeVisible();
  await expectAccessible(teacher.page);

  // The student, on the submission page and on the video page.
  await alice.page.goto(`/submissions/${submission.id}`);
  const seen = alice.page.getByRole('region', { name: 'Moments in the video' });
  await expect(seen.getByText('Hold this shot longer.')).toBeVisible();
  const moment = seen.getByRole('link', { name: 'Play from 0:01' });
  await expect(moment).toBeVisible();
  await expect(alice.page.getByLabel('Note at this moment')).toHaveCount(0);
  await expectAccessible(alice.page);
  await moment.click();
  if (js) {
    await expect
      .poll(() => alice.page.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime))
      .toBeGreaterThanOrEqual(0.9);
  } else {
    await expect(alice.page).toHaveURL(/\?t=1#player$/);
    await expect(alice.page.locator('video source')).toHaveAttribute('src', /#t=1$/);
  }
  await alice.page.goto(`/videos/${submission.videoId}`);
  await expect(
    alice.page.getByRole('article', { name: 'Comment by Tara Tester' }).getByText('Hold this shot longer.'),
  ).toBeVisible();

  // A classmate never opens the submission page.
  expect((await bob.page.goto(`/submissions/${submission.id}`))?.status()).toBe(404);
  await closeAll(teacher.context, alice.context, bob.context);
});

test('markup in comments is shown as text and never runs', async ({ browser }) => {
  const { teacher, alice, bob, submission } = await aClassWithAVideo(browser);
  const page = bob.page;
  const dialogs = watchDialogs(page);
  const payloads = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=1</script>'];
  await page.goto(`/videos/${submission.videoId}`);
  for (const payload of payloads) {
    await page.getByLabel('Add a comment').fill(payload);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page.getByTestId('comment-list').getByText(payload, { exact: true })).toBeVisible();
  }
  // Also through the API, and seen by someone else on a fresh load.
  await bob.context.request.post(`/api/videos/${submission.videoId}/interactions`, {
    data: { content: '<svg onload="alert(1)"></svg>' },
  });
  const other = alice.page;
  const otherDialogs = watchDialogs(other);
  await other.goto(`/videos/${submission.videoId}`);
  for (const p of [...payloads, '<svg onload="alert(1)"></svg>']) {
    await expect(other.getByTestId('comment-list').getByText(p, { exact: true })).toBeVisible();
  }
  await expect(other.locator('[data-testid="comment-list"] img, [data-testid="comment-list"] svg')).toHaveCount(0);
  for (const p of [page, other]) {
    expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  }
  expect([...dialogs, ...otherDialogs]).toEqual([]);
  await expectAccessible(other);
  await closeAll(teacher.context, alice.context, bob.context);
});
