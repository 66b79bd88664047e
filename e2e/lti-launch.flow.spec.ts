/**
 * ClassCast inside an LMS, end to end, with JavaScript on and off (issue 14): the fake LMS
 * (tools/lti-platform) frames ClassCast on its course page. The instructor deep-links a new
 * assignment from the LMS's "add content" dialog; a student launches that link, uploads a
 * video inside the frame; the instructor grades it inside the frame; the LMS gradebook
 * receives the score and the grade page says so. Without JavaScript every auto-posting form
 * of the OIDC and deep-linking hand-offs stops at its "Continue" button.
 */
import type { FrameLocator, Page } from '@playwright/test';
import { startFakePlatform, type FakePlatform } from '../tools/lti-platform';
import { newClient } from './course-builders';
import { expect, expectAccessible, test } from './fixtures';
import { aPoolToken, aSchoolUser } from './school-accounts';
import { recordTinyWebm } from './video-fixture';

/** Registers the fake LMS as an admin would, through the API. */
async function register(lms: FakePlatform, playwright: Parameters<typeof newClient>[0], baseURL: string) {
  const admin = await aSchoolUser(['admin']);
  const web = await newClient(playwright, baseURL);
  await web.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${await aPoolToken(admin)}` },
  });
  const created = await api.post('/api/lti/platforms', { data: lms.registration });
  expect(created.status(), await created.text()).toBe(201);
  // The server lists registered origins in frame-ancestors from a cache refreshed every few seconds.
  const origin = new URL(lms.url).origin;
  await expect
    .poll(async () => (await web.get('/login')).headers()['content-security-policy'] ?? '', { timeout: 20_000 })
    .toContain(origin);
}

/** Without JavaScript the hand-off pages wait for a click; with it they post themselves. */
async function continueIfNoJs(frame: FrameLocator, js: boolean) {
  if (!js) await frame.getByRole('button', { name: 'Continue' }).click();
}

/** The page inside the frame, opened at the top level of the same browser (its partitioned cookie applies). */
async function frameAsPage(page: Page): Promise<Page> {
  const inner = page.frames().find((f) => f !== page.mainFrame());
  if (!inner) throw new Error('no ClassCast frame on the LMS page');
  const copy = await page.context().newPage();
  await copy.goto(inner.url());
  return copy;
}

test('LMS: deep-link an assignment, submit inside the LMS, grade, and the gradebook gets the score', async ({
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const lms = await startFakePlatform({ toolUrl: baseURL! });
  try {
    await register(lms, playwright, baseURL!);
    const contextId = `e2e-${js ? 'js' : 'nojs'}-${Date.now().toString(36)}`;

    // The instructor adds ClassCast content: the launch creates the course, the picker opens.
    const teacherContext = await browser.newContext();
    const teacher = await teacherContext.newPage();
    await teacher.goto(lms.launchUrl({ user: 'instructor', kind: 'deepLink', contextId }));
    const teacherFrame = teacher.frameLocator('iframe');
    await continueIfNoJs(teacherFrame, js);
    await expect(teacherFrame.getByRole('heading', { name: 'Add a ClassCast assignment' })).toBeVisible();
    await expectAccessible(await frameAsPage(teacher));

    const create = teacherFrame.getByRole('region', { name: 'A new assignment' });
    await create.getByRole('button', { name: 'Create and add' }).click();
    // A mistake keeps what was typed and says what is wrong.
    await expect(teacherFrame.getByText('Title is required.').first()).toBeVisible();
    await teacherFrame.getByLabel('Title').fill('Pitch your project');
    await teacherFrame.getByLabel('Due (UTC)').fill(new Date(Date.now() + 5 * 86400_000).toISOString().slice(0, 16));
    await teacherFrame.getByLabel('Points').fill('10');
    await teacherFrame.getByRole('button', { name: 'Create and add' }).click();
    await continueIfNoJs(teacherFrame, js);
    await expect(teacherFrame.getByRole('heading', { name: 'Content added' })).toBeVisible();
    const [response] = lms.deepLinkResponses();
    expect(response).toMatchObject({ ok: true, contextId });
    const resourceLinkId = response!.resourceLinkIds[0]!;

    // A student opens the link inside the LMS and uploads a video in the frame.
    const videoFile = await recordTinyWebm(browser);
    const studentContext = await browser.newContext();
    const student = await studentContext.newPage();
    await student.goto(lms.launchUrl({ user: 'student', kind: 'resource', resourceLinkId }));
    const studentFrame = student.frameLocator('iframe');
    await continueIfNoJs(studentFrame, js);
    await expect(studentFrame.getByRole('heading', { name: 'Pitch your project' })).toBeVisible();
    await expect(studentFrame.getByRole('heading', { name: 'Submit your video' })).toBeVisible();
    await expectAccessible(await frameAsPage(student));
    await studentFrame.getByLabel('Video file').setInputFiles(videoFile);
    if (js) {
      await studentFrame.getByLabel('Title').fill('My pitch');
      await studentFrame.getByRole('button', { name: 'Upload video' }).click();
    } else {
      await studentFrame.getByRole('button', { name: 'Upload video' }).click();
      await expect(studentFrame.getByRole('heading', { name: 'Your video is uploaded' })).toBeVisible();
      await studentFrame.getByLabel('Title').fill('My pitch');
      await studentFrame.getByRole('button', { name: 'Submit video' }).click();
    }
    await expect(studentFrame.getByRole('heading', { name: 'My pitch' })).toBeVisible();

    // The instructor opens the same link, grades inside the frame; the LMS receives the score.
    await teacher.goto(lms.launchUrl({ user: 'instructor', kind: 'resource', resourceLinkId }));
    await continueIfNoJs(teacherFrame, js);
    const row = teacherFrame.getByRole('row', { name: /Sam Student/ });
    await row.getByRole('link', { name: /Grade/ }).click();
    await teacherFrame.getByLabel('Score (out of 10)').fill('9');
    await teacherFrame.getByRole('button', { name: 'Save grade' }).click();
    await expect(teacherFrame.getByTestId('grade-result')).toContainText('9 / 10');
    await expect.poll(() => lms.scores().map((s) => s.scoreGiven), { timeout: 20_000 }).toEqual([9]);
    expect(lms.scores()[0]).toMatchObject({ userId: lms.users.student!.sub, scoreMaximum: 10 });
    const graded = await frameAsPage(teacher);
    await expect(graded.getByTestId('lms-score-status')).toHaveText('Sent to Fake LMS');
    await expectAccessible(graded);

    await teacherContext.close();
    await studentContext.close();
  } finally {
    await lms.stop();
  }
});

test('LMS: a student in a course no instructor opened gets a plain page, not an error', async ({
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const lms = await startFakePlatform({ toolUrl: baseURL! });
  try {
    await register(lms, playwright, baseURL!);
    const page = await (await browser.newContext()).newPage();
    await page.goto(lms.launchUrl({ user: 'student', kind: 'resource', contextId: `unopened-${Date.now()}` }));
    const frame = page.frameLocator('iframe');
    await continueIfNoJs(frame, js);
    await expect(frame.getByRole('heading', { name: 'ClassCast is not open in this course yet' })).toBeVisible();
    await expect(frame.getByText('Your instructor has not opened ClassCast in this course yet.')).toBeVisible();
  } finally {
    await lms.stop();
  }
});

test('LMS: an expired or misaddressed launch is a plain page inside the frame, never an error page', async ({
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const lms = await startFakePlatform({ toolUrl: baseURL! });
  try {
    await register(lms, playwright, baseURL!);
    const page = await (await browser.newContext()).newPage();
    const frame = page.frameLocator('iframe');

    lms.tamperNextLaunch({}, { expiresInSeconds: -120 });
    await page.goto(lms.launchUrl({ user: 'instructor', kind: 'resource', contextId: `expired-${Date.now()}` }));
    await continueIfNoJs(frame, js);
    await expect(frame.getByRole('heading', { name: 'The launch took too long' })).toBeVisible();
    await expect(frame.getByText('Go back to your course and open the link again.')).toBeVisible();

    lms.tamperNextLaunch({ aud: 'another-tool', azp: undefined });
    await page.goto(lms.launchUrl({ user: 'instructor', kind: 'resource', contextId: `aud-${Date.now()}` }));
    await continueIfNoJs(frame, js);
    await expect(frame.getByRole('heading', { name: 'The launch could not be verified' })).toBeVisible();
    await expect(frame.getByText('The launch was meant for another tool, not ClassCast.')).toBeVisible();
    // The same small page (here: /lti/launch opened directly) passes axe.
    await expectAccessible(await frameAsPage(page));
  } finally {
    await lms.stop();
  }
});
