/**
 * Bea's notifications, with JavaScript and without: two classmates like her video and she
 * sees ONE collapsed notification; opening it marks it read and lands on the video; "Mark
 * all read" clears the bell. With JS the bell is a disclosure button with a dropdown;
 * without, a link to /notifications showing the count.
 */
import type { Browser, PlaywrightWorkerArgs } from '@playwright/test';
import { newClient } from './course-builders';
import { expect, expectAccessible, test } from './fixtures';
import { classmateLikes, classWithBeasVideo } from './notification-builders';

async function beaInABrowser(browser: Browser, playwright: PlaywrightWorkerArgs['playwright'], baseURL?: string) {
  const context = await browser.newContext();
  const teacher = await newClient(playwright, baseURL);
  const cls = await classWithBeasVideo({ teacher, bea: context.request });
  return { context, page: await context.newPage(), teacher, cls };
}

test('two likes collapse into one notification; opening it reads it and lands on the video', async ({
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const { context, page, teacher, cls } = await beaInABrowser(browser, playwright, baseURL);
  await classmateLikes(await newClient(playwright, baseURL), cls, 'Ana');
  await classmateLikes(await newClient(playwright, baseURL), cls, 'Carl');

  await page.goto('/dashboard');
  const count = page.getByTestId('notification-count');
  await expect(count).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('messages-link')).toHaveAttribute('href', '/messages');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');

  if (js) {
    // The disclosure: closed, then open with the latest notifications, then closed by Escape.
    await expect(bell).toHaveAttribute('aria-expanded', 'false');
    await bell.click();
    await expect(bell).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByTestId('notification-panel');
    await expect(panel.getByText('Carl Tester and 1 other liked your video')).toBeVisible();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(bell).toBeFocused();
    await page.goto('/notifications');
  } else {
    await expect(bell).toHaveAttribute('href', '/notifications');
    await bell.click();
    await expect(page).toHaveURL(/\/notifications$/);
  }

  const items = page.getByTestId('notification');
  await expect(items).toHaveCount(1);
  const like = items.first();
  await expect(like).toContainText(`Carl Tester and 1 other liked your video “${cls.videoTitle}”.`);
  await expect(like).toContainText('Unread');
  await expect(page.getByTestId('unread-summary')).toHaveText('1 unread.');
  await expectAccessible(page);

  await like.getByRole('button', { name: `New like on “${cls.videoTitle}”`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/videos/${cls.submission.videoId}$`));
  await expect(page.getByTestId('notification-count')).toHaveAttribute('data-count', '0');
  await page.goto('/notifications');
  await expect(items.first()).toHaveAttribute('data-read', 'true');
  await expect(items.first()).toContainText('Read');

  // Two announcements → two unread → Mark all read clears them and the bell.
  for (const title of ['Quiz Friday', 'Lab moved']) {
    const res = await teacher.post('/api/notifications/create', {
      data: { courseId: cls.course.id, title, message: 'Details in class.' },
    });
    expect(res.status()).toBe(201);
  }
  await page.reload();
  await expect(page.getByTestId('notification-count')).toHaveAttribute('data-count', '2');
  await expect(items).toHaveCount(3);
  await items
    .first()
    .getByRole('button', { name: /Mark read/ })
    .click();
  await expect(page.getByTestId('unread-summary')).toHaveText('1 unread.');
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByTestId('unread-summary')).toHaveText('You are all caught up.');
  await expect(page.getByTestId('notification-count')).toHaveAttribute('data-count', '0');
  await expect(page.locator('[data-testid="notification"][data-read="false"]')).toHaveCount(0);
  await expectAccessible(page);
  await context.close();
});

test('older notifications are a page away', async ({ browser, playwright, baseURL }) => {
  const { context, page, teacher, cls } = await beaInABrowser(browser, playwright, baseURL);
  // 21 announcements: one more than a page (20).
  for (let i = 1; i <= 21; i += 1) {
    await teacher.post('/api/notifications/create', {
      data: { courseId: cls.course.id, title: `Notice ${i}`, message: 'x' },
    });
  }
  await page.goto('/notifications');
  await expect(page.getByTestId('notification')).toHaveCount(20);
  await expect(page.getByTestId('notification').first()).toContainText('Notice 21');
  await page.getByRole('link', { name: 'Older' }).click();
  await expect(page.getByTestId('notification')).toHaveCount(1);
  await expect(page.getByTestId('notification').first()).toContainText('Notice 1');
  await expect(page.getByRole('link', { name: 'Newest' })).toBeVisible();
  await context.close();
});
