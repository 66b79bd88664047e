/**
 * Launches that end on a plain page inside the LMS's frame, with JavaScript on and off (issue
 * 14): a course no instructor opened yet, an expired or misaddressed launch. The whole
 * classroom story (deep link, submit, grade, gradebook, roster) is e2e/lti-classroom.flow.spec.ts.
 */
import type { FrameLocator, Page } from '@playwright/test';
import { startFakePlatform, type FakePlatform } from '../tools/lti-platform';
import { newClient } from './course-builders';
import { expect, expectAccessible, test } from './fixtures';
import { aPoolToken, aSchoolUser } from './school-accounts';

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
