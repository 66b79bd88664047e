/**
 * What a newcomer meets, with JavaScript on and off: dashboards that say what to do next,
 * a grading queue with next/previous, confirmations before anything is removed, error pages
 * in plain words with the real header, field errors said once, and pages that fit a phone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, test } from './fixtures';

const VIDEO = readFileSync(path.resolve('app/services/seed-assets/answer.webm'));
const DAY = 86400_000;

async function signedIn(
  browser: Browser,
  role: 'student' | 'instructor',
  firstName: string,
  viewport?: { width: number; height: number },
) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const user = await createAccount(context.request, role, firstName);
  return { context, page: await context.newPage(), request: context.request, user };
}

async function aCourse(teacher: APIRequestContext, title: string) {
  const res = await teacher.post('/api/courses', { data: { title, code: 'NC-1' } });
  expect(res.status()).toBe(201);
  return (await res.json()).data as { id: string; joinCode: string; title: string };
}

async function anAssignment(teacher: APIRequestContext, courseId: string, title: string, dueInMs: number) {
  const res = await teacher.post('/api/assignments', {
    data: { courseId, title, dueDate: new Date(Date.now() + dueInMs).toISOString(), maxScore: 10 },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data as { id: string; title: string };
}

async function join(student: APIRequestContext, joinCode: string) {
  expect((await student.post('/api/courses/join', { data: { joinCode } })).status()).toBe(201);
}

async function submit(student: APIRequestContext, assignmentId: string): Promise<string> {
  const start = await student.post('/api/videos/upload', {
    data: { assignmentId, fileName: 'answer.webm', contentType: 'video/webm', fileSize: VIDEO.length },
  });
  expect(start.status(), await start.text()).toBe(200);
  const data = (await start.json()).data;
  const put = await student.fetch(data.presignedUrl, { method: 'PUT', headers: data.headers, data: VIDEO });
  expect(put.status()).toBe(200);
  const done = await student.post('/api/video-submissions', {
    data: { assignmentId, fileKey: data.fileKey, videoTitle: 'My answer' },
  });
  expect(done.status(), await done.text()).toBe(201);
  return (await done.json()).submission.id as string;
}

async function expectNoSideScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page ${page.url()} is ${width}px wide`).toBeLessThanOrEqual(390);
}

test('dashboards: what is due, recent grades, the queue to grade, and next / previous ungraded', async ({
  browser,
}) => {
  const teacher = await signedIn(browser, 'instructor', 'Greta');
  const course = await aCourse(teacher.request, 'Genetics');
  const soon = await anAssignment(teacher.request, course.id, 'Punnett squares', 30 * 3600_000);
  const later = await anAssignment(teacher.request, course.id, 'Mutations', 6 * DAY);
  const ann = await signedIn(browser, 'student', 'Ann');
  const ben = await signedIn(browser, 'student', 'Ben');
  await join(ann.request, course.joinCode);
  await join(ben.request, course.joinCode);
  const annSoon = await submit(ann.request, soon.id);
  const benSoon = await submit(ben.request, soon.id);
  const annLater = await submit(ann.request, later.id);
  const graded = await teacher.request.post(`/api/video-submissions/${annLater}/grade`, {
    data: { grade: 8, feedback: 'Well explained.' },
  });
  expect(graded.status()).toBe(200);

  // The instructor's queue, oldest first, across courses.
  await teacher.page.goto('/dashboard');
  const queue = teacher.page.getByTestId('to-grade').getByRole('listitem');
  await expect(queue).toHaveCount(2);
  await expect(queue.nth(0)).toContainText(`Ann Tester · Punnett squares`);
  await expect(queue.nth(1)).toContainText(`Ben Tester · Punnett squares`);
  await expectAccessible(teacher.page);

  // From the first, "next ungraded" walks the queue; there is no previous one.
  await queue.nth(0).getByRole('link', { name: /Grade/ }).click();
  await expect(teacher.page).toHaveURL(new RegExp(`/submissions/${annSoon}$`));
  await expect(teacher.page.getByRole('link', { name: /Previous ungraded/ })).toHaveCount(0);
  await teacher.page.getByRole('link', { name: /Next ungraded/ }).click();
  await expect(teacher.page).toHaveURL(new RegExp(`/submissions/${benSoon}$`));
  await expect(teacher.page.getByRole('link', { name: /Next ungraded/ })).toHaveCount(0);
  await expectAccessible(teacher.page);
  await teacher.page.getByRole('link', { name: /Previous ungraded/ }).click();
  await expect(teacher.page).toHaveURL(new RegExp(`/submissions/${annSoon}$`));

  // Ann: both deadlines (handed in), her grade with its feedback, her course.
  await ann.page.goto('/dashboard');
  const annDue = ann.page.getByTestId('due-next').getByRole('listitem');
  await expect(annDue).toHaveCount(2);
  await expect(annDue.nth(0)).toContainText('Punnett squares');
  await expect(annDue.nth(0)).toContainText('Due soon');
  await expect(annDue.nth(0)).toContainText('Submitted');
  await expect(ann.page.getByTestId('recent-grades')).toContainText('Mutations');
  await expect(ann.page.getByTestId('recent-grades')).toContainText('8 / 10');
  await expect(ann.page.getByTestId('recent-grades')).toContainText('Well explained.');
  await expect(ann.page.getByTestId('course-list')).toContainText('Genetics');
  await expectAccessible(ann.page);

  // Ben has not handed in the later one: "Not submitted", never "Missing" before the due date.
  await ben.page.goto('/dashboard');
  const benLater = ben.page.getByTestId('due-next').getByRole('listitem').filter({ hasText: 'Mutations' });
  await expect(benLater).toContainText('Not submitted');
  await expect(ben.page.getByTestId('recent-grades')).toHaveCount(0);
  await expect(ben.page.getByText('No grades yet.')).toBeVisible();

  // The instructor's assignment page says the same.
  await teacher.page.goto(`/assignments/${later.id}`);
  const benRow = teacher.page.getByTestId('student-progress').getByRole('row').filter({ hasText: 'Ben Tester' });
  await expect(benRow).toContainText('Not submitted');
  await expect(teacher.page.getByText('Missing', { exact: true })).toHaveCount(0);

  for (const c of [teacher, ann, ben]) await c.context.close();
});

test('archive and delete an assignment, each after a confirmation; a submitted one cannot be deleted', async ({
  browser,
}) => {
  const teacher = await signedIn(browser, 'instructor', 'Omar');
  const course = await aCourse(teacher.request, 'Ecology');
  const unused = await anAssignment(teacher.request, course.id, 'Unused draft idea', 4 * DAY);
  const used = await anAssignment(teacher.request, course.id, 'Pond life', 5 * DAY);
  const student = await signedIn(browser, 'student', 'Sara');
  await join(student.request, course.joinCode);
  await submit(student.request, used.id);
  const page = teacher.page;

  await page.goto(`/assignments/${unused.id}`);
  await page.getByRole('link', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: `Delete “${unused.title}”?` })).toBeVisible();
  await expectAccessible(page);
  // Cancel changes nothing.
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: unused.title })).toBeVisible();
  await page.getByRole('link', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete assignment' }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${course.id}$`));
  await expect(page.getByRole('status')).toContainText('was deleted');
  await expect(page.getByTestId('assignment-list')).not.toContainText(unused.title);
  expect((await teacher.request.get(`/api/assignments/${unused.id}`)).status()).toBe(404);

  // With a submission: refused, explained, nothing lost.
  await page.goto(`/assignments/${used.id}/delete`);
  await page.getByRole('button', { name: 'Delete assignment' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be deleted. Archive it instead.');
  await expectAccessible(page);
  expect((await teacher.request.get(`/api/assignments/${used.id}`)).status()).toBe(200);

  await page.goto(`/assignments/${used.id}`);
  await page.getByRole('link', { name: 'Archive' }).click();
  await expect(page.getByRole('heading', { name: `Archive “${used.title}”?` })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Archive assignment' }).click();
  await expect(page.getByRole('status')).toContainText('is archived');
  await expect(page.getByTestId('assignment-list').getByRole('listitem').filter({ hasText: used.title })).toContainText(
    'Archived',
  );

  // Students no longer see it.
  await student.page.goto(`/courses/${course.id}`);
  await expect(student.page.getByText('No assignments have been published yet.')).toBeVisible();
  expect((await student.request.get(`/api/assignments/${used.id}`)).status()).toBe(404);
  await teacher.context.close();
  await student.context.close();
});

test('an instructor removes a student and a student leaves a course, each after a confirmation', async ({
  browser,
}) => {
  const teacher = await signedIn(browser, 'instructor', 'Nadia');
  const course = await aCourse(teacher.request, 'Botany');
  const kim = await signedIn(browser, 'student', 'Kim');
  const lou = await signedIn(browser, 'student', 'Lou');
  await join(kim.request, course.joinCode);
  await join(lou.request, course.joinCode);

  await teacher.page.goto(`/courses/${course.id}`);
  await teacher.page.getByRole('link', { name: 'Remove Kim Tester' }).click();
  await expect(teacher.page.getByRole('heading', { name: 'Remove Kim Tester from Botany?' })).toBeVisible();
  await expectAccessible(teacher.page);
  await teacher.page.getByRole('button', { name: 'Remove student' }).click();
  await expect(teacher.page.getByRole('status')).toContainText('Kim Tester was removed from Botany');
  await expect(teacher.page.getByTestId('roster')).not.toContainText('Kim Tester');
  await expect(teacher.page.getByTestId('roster')).toContainText('Lou Tester');
  expect((await kim.request.get(`/api/courses/${course.id}`)).status()).toBe(403);

  await lou.page.goto(`/courses/${course.id}`);
  await lou.page.getByRole('link', { name: 'Leave course' }).click();
  await expect(lou.page.getByRole('heading', { name: 'Leave Botany?' })).toBeVisible();
  await expectAccessible(lou.page);
  await lou.page.getByRole('button', { name: 'Leave course' }).click();
  await expect(lou.page).toHaveURL(/\/dashboard$/);
  await expect(lou.page.getByRole('status')).toContainText('You left Botany');
  await expect(lou.page.getByText('You have not joined a course yet.')).toBeVisible();

  // Refusals are 4xx, never a 500: the instructor cannot "leave" or remove themselves.
  expect((await teacher.page.goto(`/courses/${course.id}/leave`))?.status()).toBe(403);
  expect((await teacher.page.goto(`/courses/${course.id}/students/${teacher.user.email}/remove`))?.status()).toBe(404);
  for (const c of [teacher, kim, lou]) await c.context.close();
});

test('error pages speak plainly and keep the real header', async ({ browser, page }) => {
  // Signed out: the header offers to log in.
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('No route matches');
  await expectAccessible(page);

  // Signed in: the header shows who you are, not "Log in".
  const student = await signedIn(browser, 'student', 'Ivy');
  const res = await student.page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(student.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(student.page.getByTestId('header-user-name')).toHaveText('Ivy Tester');
  await expect(student.page.getByRole('link', { name: 'Log in' })).toHaveCount(0);
  await expect(student.page.getByRole('link', { name: 'Go to your dashboard' })).toBeVisible();
  await expectAccessible(student.page);

  // A forged upload key on the confirm page: a plain 400 page, no developer wording.
  const teacher = await signedIn(browser, 'instructor', 'Hal');
  const course = await aCourse(teacher.request, 'Zoology');
  const a = await anAssignment(teacher.request, course.id, 'Bird calls', 3 * DAY);
  await join(student.request, course.joinCode);
  const forged = await student.page.goto(`/assignments/${a.id}/submit?key=videos/not-mine.webm`);
  expect(forged?.status()).toBe(400);
  await expect(student.page.getByRole('heading', { name: 'That did not work' })).toBeVisible();
  await expect(student.page.locator('body')).not.toContainText('fileKey');
  await expect(student.page.getByTestId('header-user-name')).toHaveText('Ivy Tester');
  await student.context.close();
  await teacher.context.close();
});

test('a field error is said once, names the limit and marks the field; login keeps the signup rule to itself', async ({
  browser,
  page,
}) => {
  const teacher = await signedIn(browser, 'instructor', 'Vera');
  await teacher.page.goto('/dashboard');
  await teacher.page.getByLabel('Course name').fill('Long winded');
  await teacher.page.getByLabel('Course code').fill('LW-1');
  await teacher.page.getByLabel('Description').fill('x'.repeat(10_000));
  await teacher.page.getByRole('button', { name: 'Create course' }).click();
  const description = teacher.page.getByLabel('Description');
  await expect(description).toHaveAttribute('aria-invalid', 'true');
  await expect(teacher.page.getByText('Description must be at most 5,000 characters.')).toHaveCount(1);
  await expect(teacher.page.getByRole('alert')).toHaveText('Please correct the fields marked below.');
  // What was typed is kept.
  await expect(teacher.page.getByLabel('Course name')).toHaveValue('Long winded');
  await expectAccessible(teacher.page);
  await teacher.context.close();

  await page.goto('/login');
  await page.getByLabel('Email').fill('someone@example.com');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await expect(page.getByText(/at least 8 characters/)).toHaveCount(0);
});

test('instructor and student pages fit a 390 px screen', async ({ browser }) => {
  const phone = { width: 390, height: 844 };
  const teacher = await signedIn(browser, 'instructor', 'Bartholomew', phone);
  const course = await aCourse(teacher.request, 'Comparative Vertebrate Anatomy and Physiology');
  const a = await anAssignment(
    teacher.request,
    course.id,
    'Explain the four-chambered heart in your own words',
    2 * DAY,
  );
  const student = await signedIn(browser, 'student', 'Maximiliana', phone);
  await join(student.request, course.joinCode);
  const submission = await submit(student.request, a.id);
  const other = await signedIn(browser, 'student', 'Christopher');
  await join(other.request, course.joinCode);

  for (const url of [
    '/dashboard',
    `/courses/${course.id}`,
    `/assignments/${a.id}`,
    `/courses/${course.id}/grading`,
    `/submissions/${submission}`,
  ]) {
    await teacher.page.goto(url);
    await expectNoSideScroll(teacher.page);
    await expectAccessible(teacher.page);
  }
  // The Grade link is on screen, not hidden off to the right.
  await teacher.page.goto(`/assignments/${a.id}`);
  const grade = teacher.page.getByRole('link', { name: 'Grade Maximiliana Tester' });
  await expect(grade).toBeVisible();
  const box = (await grade.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(phone.width);

  for (const url of ['/dashboard', `/courses/${course.id}`, `/assignments/${a.id}`, `/submissions/${submission}`]) {
    await student.page.goto(url);
    await expectNoSideScroll(student.page);
  }
  for (const c of [teacher, student, other]) await c.context.close();
});
