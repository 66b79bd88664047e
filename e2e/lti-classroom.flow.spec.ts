/**
 * ClassCast inside an LMS, end to end (issue 14, part 7), with JavaScript on and off: a fake
 * LTI 1.3 platform (tools/lti-platform) frames ClassCast on its course page; the instructor
 * deep-links a new assignment, a student opens it and uploads a video, the instructor grades
 * it and the score reaches the platform's gradebook (through one outage, exactly once), and a
 * roster sync brings in a student the LMS added. Every embedded page passes axe.
 *
 * The platform listens on `localhost`, ClassCast on `127.0.0.1`: two sites, so the frame is
 * really third-party (the launch's cookies must be `SameSite=None; Secure; Partitioned`, and
 * the platform's origin must be in ClassCast's frame-ancestors). Chromium counts both hosts as
 * secure contexts, so it keeps those Secure cookies over plain http, and it treats the frame
 * as third-party for real: it denies it sessionStorage (see app/components/session-storage-fallback.tsx),
 * which a same-site frame would not show. The video upload works inside the frame with
 * JavaScript on (PUT to storage from the frame) and off (the form posts to storage, which
 * sends the frame back), so the student never has to leave the LMS page.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Frame, FrameLocator, Page, TestInfo } from '@playwright/test';
import { ROLE } from '../app/auth/lti/roles';
import { expect, test } from './fixtures';
import { aRegisteredLms } from './lti-platforms';
import { recordTinyWebm } from './video-fixture';

const FRAME = 'iframe[title="ClassCast"]';

const jsOn = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

/**
 * A person at the LMS: their own browser, on the LMS's course page, ClassCast in its frame.
 * `open` goes to a course page; the frame runs the OIDC login, and the LMS's form_post of
 * the id_token goes on by itself with JavaScript, by its "Continue" button without.
 */
async function atTheLms(browser: Browser, url: string, testInfo: TestInfo) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A script error inside the frame (e.g. storage a third-party frame is denied) fails the test.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const tool = page.frameLocator(FRAME);
  const open = async (to: string) => {
    await page.goto(to);
    if (!jsOn(testInfo)) {
      await expect(tool.getByRole('heading', { name: 'Opening ClassCast' })).toBeVisible();
      await tool.getByRole('button', { name: 'Continue' }).click();
    }
  };
  await open(url);
  return { context, page, tool, errors, open };
}

/** The document inside the LMS's frame (for its URL and HTML). */
async function frameOf(page: Page): Promise<Frame> {
  const frame = await (await page.locator(FRAME).elementHandle())?.contentFrame();
  if (!frame) throw new Error('the LMS page has no ClassCast frame');
  return frame;
}

/**
 * Zero serious or critical axe violations in the embedded page. With JavaScript on, axe runs
 * in the live frame (AxeBuilder reaches into iframes). With it off axe cannot run at all, and
 * the frame's URL cannot simply be opened at the top level (its partitioned cookie belongs to
 * the LMS's site), so a scripting-enabled page is served a script-less copy of the frame's HTML
 * at the frame's own URL, with the same stylesheets: what the person saw, checked.
 */
async function expectEmbeddedAccessible(page: Page, testInfo: TestInfo) {
  let results;
  if (jsOn(testInfo)) {
    results = await new AxeBuilder({ page }).include(FRAME).analyze();
  } else {
    const frame = await frameOf(page);
    await frame.waitForLoadState();
    const html = (await frame.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    const browser = page.context().browser()!;
    const copyContext = await browser.newContext({ javaScriptEnabled: true });
    const copy = await copyContext.newPage();
    const url = frame.url();
    await copy.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await copy.goto(url);
    results = await new AxeBuilder({ page: copy }).analyze();
    await copyContext.close();
  }
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations in the frame at ${(await frameOf(page)).url()}`,
  ).toEqual([]);
}

/** The compact embedded layout: ClassCast's own bar, never the full site header. */
async function expectCompact(tool: FrameLocator) {
  await expect(tool.getByTestId('embedded-user-name')).toBeVisible();
  await expect(tool.getByTestId('header-user-name')).toHaveCount(0);
  await expect(tool.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
}

/** The AutoPostForm step: it goes on by itself with JavaScript, by "Continue" without. */
async function continueWithoutJs(tool: FrameLocator, testInfo: TestInfo) {
  if (!jsOn(testInfo)) await tool.getByRole('button', { name: 'Continue' }).click();
}

test('deep-link an assignment, a student submits inside the LMS, the grade reaches the gradebook', async ({
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const lms = await aRegisteredLms(playwright, baseURL!, { host: 'localhost' });
  try {
    const videoFile = await recordTinyWebm(browser);

    // The instructor adds ClassCast content to the course: a deep-linking launch opens the picker.
    const teacher = await atTheLms(browser, lms.launchUrl({ user: 'instructor', kind: 'deepLink' }), testInfo);
    await expect(teacher.tool.getByRole('heading', { name: 'Add a ClassCast assignment' })).toBeVisible();
    await expectCompact(teacher.tool);
    await expectEmbeddedAccessible(teacher.page, testInfo);
    const create = teacher.tool.getByRole('region', { name: 'A new assignment' });
    await create.getByLabel('Title').fill('Lab report video');
    await create.getByLabel('Instructions').fill('Show your experiment in under a minute.');
    await create.getByLabel('Due (UTC)').fill(new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 16));
    await create.getByLabel('Points').fill('20');
    await create.getByRole('button', { name: 'Create and add' }).click();
    if (!jsOn(testInfo)) {
      await expect(
        teacher.tool.getByRole('heading', { name: 'Adding “Lab report video” to your course' }),
      ).toBeVisible();
      await expectEmbeddedAccessible(teacher.page, testInfo);
    }
    await continueWithoutJs(teacher.tool, testInfo);
    // The signed LtiDeepLinkingResponse reached the LMS: one link, with a 20-point line item.
    await expect(teacher.tool.getByRole('heading', { name: 'Content added' })).toBeVisible();
    const [answer] = lms.deepLinkResponses();
    expect(answer).toMatchObject({ ok: true, contextId: 'course-1', resourceLinkIds: [expect.any(String)] });
    expect(answer.items).toEqual([
      expect.objectContaining({
        type: 'ltiResourceLink',
        title: 'Lab report video',
        custom: { assignment_id: expect.any(String) },
        lineItem: expect.objectContaining({ scoreMaximum: 20, label: 'Lab report video' }),
      }),
    ]);
    const linkId = answer.resourceLinkIds[0];
    expect(lms.lineItems()).toEqual([
      expect.objectContaining({ label: 'Lab report video', scoreMaximum: 20, resourceLinkId: linkId }),
    ]);

    // A student opens the link from the course: the assignment, compact, inside the frame.
    const student = await atTheLms(
      browser,
      lms.launchUrl({ user: 'student', kind: 'resource', resourceLinkId: linkId }),
      testInfo,
    );
    await expect(student.tool.getByRole('heading', { name: 'Lab report video' })).toBeVisible();
    await expect(student.tool.getByRole('heading', { name: 'Submit your video' })).toBeVisible();
    await expectCompact(student.tool);
    await expectEmbeddedAccessible(student.page, testInfo);
    await student.tool.getByLabel('Video file').setInputFiles(videoFile);
    if (jsOn(testInfo)) {
      await student.tool.getByLabel('Title').fill('My experiment');
      await student.tool.getByRole('button', { name: 'Upload video' }).click();
    } else {
      // The file goes straight to storage and the frame comes back to confirm it.
      await student.tool.getByRole('button', { name: 'Upload video' }).click();
      await expect(student.tool.getByRole('heading', { name: 'Your video is uploaded' })).toBeVisible();
      await expectEmbeddedAccessible(student.page, testInfo);
      await student.tool.getByLabel('Title').fill('My experiment');
      await student.tool.getByRole('button', { name: 'Submit video' }).click();
    }
    await expect(student.tool.getByRole('heading', { name: 'My experiment' })).toBeVisible();
    await expect(student.tool.getByText('Your instructor has not graded this yet.')).toBeVisible();
    expect((await frameOf(student.page)).url()).toMatch(/\/submissions\/[0-9A-Z]{26}$/);
    await expectCompact(student.tool);
    await expectEmbeddedAccessible(student.page, testInfo);

    // The instructor opens the same link and grades while the LMS's score endpoint is down.
    lms.setScoreOutage(1_000);
    await teacher.open(lms.launchUrl({ user: 'instructor', kind: 'resource', resourceLinkId: linkId }));
    await expect(teacher.tool.getByRole('heading', { name: 'Lab report video' })).toBeVisible();
    await expectCompact(teacher.tool);
    const row = teacher.tool.getByRole('row', { name: /Sam Student/ });
    await expect(row).toContainText('Submitted');
    await row.getByRole('link', { name: /Grade/ }).click();
    await expect(teacher.tool.getByRole('heading', { name: 'My experiment' })).toBeVisible();
    await expectEmbeddedAccessible(teacher.page, testInfo);
    await teacher.tool.getByLabel('Score (out of 20)').fill('17');
    await teacher.tool.getByLabel('Feedback').fill('Clear and well paced.');
    await teacher.tool.getByRole('button', { name: 'Save grade' }).click();
    await expect(teacher.tool.getByRole('status')).toContainText('Grade saved');
    // Reloading the frame's page is what a person does (with JavaScript off, the only way it changes).
    // The page's URL is taken without the launch's one-time ?lti_session= token.
    const gradePage = new URL((await frameOf(teacher.page)).url());
    gradePage.search = '';
    const status = teacher.tool.getByTestId('lms-score-status');
    const statusAfterReload = async () => {
      await (await frameOf(teacher.page)).goto(gradePage.toString());
      return status.getAttribute('data-state');
    };
    await expect.poll(statusAfterReload, { timeout: 20_000 }).toBe('retrying');
    await expect(status).toContainText(/^Waiting to retry: /);
    await expectEmbeddedAccessible(teacher.page, testInfo);
    expect(lms.scores()).toEqual([]);

    // The LMS is back: the outbox's next retry delivers the score, once.
    lms.setScoreOutage(0);
    await expect.poll(() => lms.scores().length, { timeout: 30_000 }).toBe(1);
    await expect.poll(statusAfterReload).toBe('sent');
    await expect(status).toHaveText('Sent to Fake LMS');
    await expectEmbeddedAccessible(teacher.page, testInfo);
    const [score] = lms.scores();
    expect(score).toMatchObject({
      lineItemId: lms.lineItems()[0].id,
      userId: lms.users.student.sub,
      scoreGiven: 17,
      scoreMaximum: 20,
      activityProgress: 'Submitted',
      gradingProgress: 'FullyGraded',
      comment: 'Clear and well paced.',
    });
    expect(score.body['https://canvas.instructure.com/lti/submission']).toEqual(
      expect.objectContaining({ submitted_at: expect.any(String) }),
    );
    // Nothing more arrives: no duplicate from the retry or a later poll of the outbox.
    await teacher.page.waitForTimeout(3_000);
    expect(lms.scores()).toHaveLength(1);
    expect([...teacher.errors, ...student.errors]).toEqual([]);
    await teacher.context.close();
    await student.context.close();
  } finally {
    await lms.stop();
  }
});

test('the instructor syncs the roster from the LMS: a student added there appears', async ({
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  const lms = await aRegisteredLms(playwright, baseURL!, { host: 'localhost' });
  try {
    // A plain resource launch with no ClassCast link yet opens the course (made by this first launch).
    const teacher = await atTheLms(browser, lms.launchUrl({ user: 'instructor', kind: 'resource' }), testInfo);
    await expect(teacher.tool.getByRole('heading', { name: 'Biology 101' })).toBeVisible();
    await expectCompact(teacher.tool);
    const roster = teacher.tool.getByTestId('roster');
    await expect(roster).not.toContainText('Nia Newcomer');
    const coursePage = new URL((await frameOf(teacher.page)).url());
    coursePage.search = '';
    expect(coursePage.pathname).toMatch(/^\/courses\/[0-9A-Z]{26}$/);
    await expectEmbeddedAccessible(teacher.page, testInfo);

    lms.addMember('course-1', { name: 'Nia Newcomer', roles: [ROLE.learner] });
    await teacher.tool.getByRole('button', { name: 'Sync roster from Fake LMS' }).click();
    await expect(teacher.tool.getByText(/Nia Newcomer/).first()).toBeVisible();
    await expectCompact(teacher.tool);
    await expectEmbeddedAccessible(teacher.page, testInfo);
    // Wherever the sync answered, the course's roster now lists her as a student.
    await (await frameOf(teacher.page)).goto(coursePage.toString());
    await expect(roster.getByRole('listitem').filter({ hasText: 'Nia Newcomer' })).toContainText('student');
    expect(teacher.errors).toEqual([]);
    await teacher.context.close();
  } finally {
    await lms.stop();
  }
});
