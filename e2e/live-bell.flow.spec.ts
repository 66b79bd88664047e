/**
 * The bell follows the live stream (JavaScript on only; without it pages show the count of
 * each load, covered by notifications.flow.spec.ts): Bea's page stays open while a classmate
 * likes her video and her instructor grades her submission, and the count rises each time
 * without a reload.
 */
import { newClient } from './course-builders';
import { expect, test } from './fixtures';
import { classmateLikes, classWithBeasVideo } from './notification-builders';

test('a like and a grade raise the bell without a reload', async ({ browser, playwright, baseURL }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'live updates need JavaScript');
  const context = await browser.newContext();
  const teacher = await newClient(playwright, baseURL);
  const cls = await classWithBeasVideo({ teacher, bea: context.request });
  const page = await context.newPage();

  // The stream answers `ready` first; wait for it so nothing published before it is missed.
  const stream = page.waitForResponse((res) => new URL(res.url()).pathname === '/events');
  await page.goto('/dashboard');
  await stream;
  const count = page.getByTestId('notification-count');
  await expect(count).toHaveAttribute('data-count', '0');
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });

  await classmateLikes(await newClient(playwright, baseURL), cls, 'Ana');
  await expect(count).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('notification-announcer')).toContainText('1 unread notification');

  const graded = await teacher.post(`/api/video-submissions/${cls.submission.id}/grade`, {
    data: { grade: 9, feedback: 'Clear and well paced.' },
  });
  expect(graded.status(), await graded.text()).toBe(200);
  await expect(count).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('notification-announcer')).toContainText('2 unread notifications');
  expect(navigations).toBe(0);
  await context.close();
});
