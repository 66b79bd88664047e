/**
 * The student feed (issue 10, item 1), JavaScript on and off, desktop and phone: a student
 * sees a classmate's class-visible video and a community post, opens an item, pages with
 * "Load more" (a plain link). Through the API: someone else's feed is 403, a malformed
 * cursor 400, an instructor is sent to the dashboard.
 */
import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { courseWithAssignment, enrolledStudent, uploadAndFinalize } from './course-builders';
import { createAccount, expect, expectAccessible, test } from './fixtures';
import { recordTinyWebm } from './video-fixture';

/** Enough assignments that the feed needs a second page (20 items a page). */
const EXTRA_ASSIGNMENTS = 20;

async function addAssignments(teacher: APIRequestContext, courseId: string) {
  for (let i = 0; i < EXTRA_ASSIGNMENTS; i++) {
    const res = await teacher.post('/api/assignments', {
      data: {
        courseId,
        title: `Warm-up ${String(i + 1).padStart(2, '0')}`,
        dueDate: new Date(Date.now() + (i + 2) * 86400_000).toISOString(),
        maxScore: 5,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
}

test('a student sees a classmate’s video and a post, opens one, and pages with Load more', async ({ browser }) => {
  const webm = readFileSync(await recordTinyWebm(browser));

  const teacherContext = await browser.newContext();
  await createAccount(teacherContext.request, 'instructor', 'Tara');
  const { course, assignment } = await courseWithAssignment(teacherContext.request);
  await addAssignments(teacherContext.request, course.id);

  // A classmate hands in a class-visible video and posts in the community.
  const classmateContext = await browser.newContext();
  await enrolledStudent(classmateContext.request, course.joinCode, 'Cleo');
  const finalized = await uploadAndFinalize(classmateContext.request, assignment.id, webm, {
    contentType: 'video/webm',
    finalize: { videoTitle: 'Cleo explains photosynthesis' },
  });
  expect(finalized.status(), await finalized.text()).toBe(201);
  const posted = await classmateContext.request.post('/api/community/posts', {
    data: { courseId: course.id, title: 'Who wants to practise together?', content: 'Library, Thursday <b>4pm</b>' },
  });
  expect(posted.status(), await posted.text()).toBe(201);

  const studentContext = await browser.newContext();
  const page = await studentContext.newPage();
  await enrolledStudent(studentContext.request, course.joinCode, 'Sid');
  await page.goto('/dashboard');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feed' }).click();
  await expect(page).toHaveURL(/\/feed$/);
  await expect(page.getByRole('heading', { name: 'Your feed' })).toBeVisible();

  const items = page.getByTestId('feed-item');
  await expect(items).toHaveCount(20);
  const video = items.filter({ hasText: 'Cleo explains photosynthesis' });
  await expect(video).toHaveAttribute('data-type', 'video');
  await expect(video.getByText(/Cleo Tester/)).toBeVisible();
  await expect(video.getByText('Media Lab', { exact: false })).toBeVisible();
  await expect(video.getByText('0 likes')).toBeVisible();
  const post = items.filter({ hasText: 'Who wants to practise together?' });
  await expect(post).toHaveAttribute('data-type', 'community');
  // User text is text: the tag shows as typed, nothing is made bold.
  await expect(post.getByText('Library, Thursday <b>4pm</b>')).toBeVisible();
  await expect(post.locator('b')).toHaveCount(0);
  await expectAccessible(page);

  // Load more: the oldest items on the next page, the newest page's items not repeated.
  await page.getByRole('link', { name: 'Load more' }).click();
  await expect(page).toHaveURL(/\/feed\?cursor=/);
  await expect(items.filter({ hasText: 'Pitch your project' })).toHaveCount(1);
  await expect(items.filter({ hasText: 'Cleo explains photosynthesis' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Load more' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Back to the newest' }).click();

  // Opening an item: the classmate's video page.
  await items.filter({ hasText: 'Cleo explains photosynthesis' }).getByRole('heading').getByRole('link').click();
  await expect(page).toHaveURL(/\/videos\/[0-9A-Z]{26}$/);
  await expect(page.getByRole('heading', { name: 'Cleo explains photosynthesis' })).toBeVisible();
});

test('a student without courses is told to join one', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await createAccount(context.request, 'student', 'Nia');
  await page.goto('/feed');
  await expect(page.getByTestId('feed-empty')).toContainText('You have not joined a course yet');
  await page.getByRole('link', { name: /Join a course/ }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expectAccessible(page);
});

test('the feed API: own feed only, bad cursors and limits refused, instructors sent to the dashboard', async ({
  browser,
}, testInfo) => {
  // API behaviour does not depend on JavaScript or the screen: once per run is enough.
  test.skip(testInfo.project.name !== 'js', 'API checks run in the js project only');
  const teacherContext = await browser.newContext();
  await createAccount(teacherContext.request, 'instructor');
  const { course } = await courseWithAssignment(teacherContext.request);
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  await enrolledStudent(alice.request, course.joinCode, 'Alice');
  await enrolledStudent(bob.request, course.joinCode, 'Bob');
  const bobId = (await (await bob.request.get('/api/auth/me')).json()).user.id;
  const aliceId = (await (await alice.request.get('/api/auth/me')).json()).user.id;

  const own = await alice.request.get(`/api/student/feed?userId=${aliceId}&limit=5`);
  expect(own.status()).toBe(200);
  const body = await own.json();
  expect(body).toMatchObject({ success: true, nextCursor: null });
  expect(body.feed).toEqual([
    expect.objectContaining({ type: 'assignment', title: 'Pitch your project', status: 'active' }),
  ]);
  expect(body.courses).toEqual([
    { courseId: course.id, name: 'Media Lab', initials: 'ML', code: 'ML-1', unreadCount: 0 },
  ]);
  expect((await (await alice.request.get('/api/student/feed')).json()).feed).toEqual(body.feed);

  const foreign = await alice.request.get(`/api/student/feed?userId=${bobId}`);
  expect(foreign.status()).toBe(403);
  expect(await foreign.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });

  const tampered = await alice.request.get('/api/student/feed?cursor=bm90LWEtY3Vyc29y');
  expect(tampered.status()).toBe(400);
  expect(await tampered.json()).toMatchObject({ success: false, code: 'INVALID_CURSOR' });
  const badLimit = await alice.request.get('/api/student/feed?limit=500');
  expect(badLimit.status()).toBe(400);
  expect(await badLimit.json()).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });

  const anonymous = await browser.newContext();
  expect((await anonymous.request.get('/api/student/feed')).status()).toBe(401);

  const teacherPage = await teacherContext.newPage();
  await teacherPage.goto('/feed');
  await expect(teacherPage).toHaveURL(/\/dashboard$/);
});
