/**
 * ClassCast inside an LMS frame (issue 14, part 6), JavaScript on and off: the compact bar
 * instead of the site header, "Open in a new tab" carrying the session to a top-level tab
 * whose cookie jar is not the frame's (once), and the page a launch lands on when the browser
 * refused the frame's cookie. The full launch through the fake LMS is the launch flow's spec;
 * here `?embed=1` asks for the same layout.
 */
import type { Browser } from '@playwright/test';
import { courseWithAssignment } from './course-builders';
import { createAccount, expect, expectAccessible, test } from './fixtures';

async function signedIn(browser: Browser) {
  const context = await browser.newContext();
  await createAccount(context.request, 'student', 'Emma');
  return { context, page: await context.newPage() };
}

/** A browser tab that shares no cookie with the frame: what a new top-level tab is to a partitioned cookie. */
async function freshTab(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test('an embedded page shows the compact bar, fits a phone and passes axe', async ({ browser }) => {
  const { page } = await signedIn(browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/dashboard?embed=1');
  await expect(page.getByTestId('embedded-user-name')).toHaveText(/Emma/);
  await expect(page.getByTestId('header-user-name')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  const newTab = page.getByTestId('open-in-new-tab');
  await expect(newTab).toHaveAttribute('target', '_blank');
  await expect(newTab).toHaveAttribute('rel', /noopener/);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await expectAccessible(page);
  // Without ?embed=1 (and without an LTI session) the full site header is back.
  await page.goto('/dashboard');
  await expect(page.getByTestId('header-user-name')).toBeVisible();
});

test('"Open in a new tab" signs the same person in at the top level, once', async ({ browser }) => {
  const { page } = await signedIn(browser);
  await page.goto('/dashboard?embed=1');
  const href = await page.getByTestId('open-in-new-tab').getAttribute('href');
  expect(href).toMatch(/^\/lti\/session\?lti_session=[^&]+&to=%2Fdashboard$/);

  const tab = await freshTab(browser);
  await tab.goto(href ?? '');
  await expect(tab).toHaveURL(/\/dashboard$/);
  await expect(tab.getByTestId('header-user-name')).toHaveText(/Emma/);

  const again = await freshTab(browser);
  const res = await again.goto(href ?? '');
  expect(res?.status()).toBe(410);
  await expect(again.getByRole('heading', { name: 'This link cannot sign you in' })).toBeVisible();
  await expect(again.getByText('used already')).toBeVisible();
  await expectAccessible(again);
});

test('a landing page reached without the cookie explains it and continues in a new tab', async ({ browser }) => {
  const { page } = await signedIn(browser);
  await page.goto('/dashboard?embed=1');
  const token = new URL(
    (await page.getByTestId('open-in-new-tab').getAttribute('href')) ?? '',
    'http://x',
  ).searchParams.get('lti_session');
  // The frame whose browser dropped the launch's cookie: same landing URL, no cookie.
  const frame = await freshTab(browser);
  await frame.goto(`/dashboard?lti_session=${encodeURIComponent(token ?? '')}`);
  await expect(frame).toHaveURL(/\/lti\/cookie-blocked\?/);
  await expect(frame.getByRole('heading', { name: 'Open ClassCast in a new tab' })).toBeVisible();
  await expectAccessible(frame);
  const link = frame.getByRole('link', { name: /Open ClassCast in a new tab/ });
  await expect(link).toHaveAttribute('target', '_blank');
  const [tab] = await Promise.all([frame.context().waitForEvent('page'), link.click()]);
  await expect(tab).toHaveURL(/\/dashboard$/);
  await expect(tab.getByTestId('header-user-name')).toHaveText(/Emma/);
});

test('logging out from the compact bar ends the session', async ({ browser }) => {
  const { page } = await signedIn(browser);
  await page.goto('/dashboard?embed=1');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?/);
});

test('a broken or stale cookie-check link says to open ClassCast from the LMS again', async ({ page }) => {
  const res = await page.goto('/lti/cookie-check?t=not-a-token');
  expect(res?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Open ClassCast from your LMS' })).toBeVisible();
  await expectAccessible(page);
});

test('the compact bar names the course of the page, and the course page passes axe at phone width', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await createAccount(context.request, 'instructor', 'Ines');
  const { course, assignment } = await courseWithAssignment(context.request);
  const page = await context.newPage();
  for (const path of [`/assignments/${assignment.id}?embed=1`, `/courses/${course.id}?embed=1`]) {
    await page.goto(path);
    await expect(page.getByTestId('embedded-course-title'), path).toHaveText('Media Lab');
    await expect(page.getByTestId('header-user-name')).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(1);
    await expectAccessible(page);
  }
});
