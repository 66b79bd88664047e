/**
 * The browser's side of /events: one EventSource per tab while signed in (JS on), closed on
 * sign-out and not reopened; none at all with JS off (pages show the state of each load).
 */
import type { Request } from '@playwright/test';
import { createAccount, expect, loginThroughForm, logoutThroughHeader, test } from './fixtures';

test('one live stream while signed in, closed on sign-out', async ({ page }, info) => {
  const user = await createAccount(page.request, 'student');
  await page.context().clearCookies();
  const streams: Request[] = [];
  const ended = new Set<Request>();
  page.on('request', (r) => new URL(r.url()).pathname === '/events' && streams.push(r));
  page.on('requestfailed', (r) => ended.add(r));
  page.on('requestfinished', (r) => ended.add(r));

  await loginThroughForm(page, user);
  if (info.project.use.javaScriptEnabled === false) {
    await page.waitForTimeout(1500);
    expect(streams).toHaveLength(0);
    return;
  }
  await expect.poll(() => streams.length).toBe(1);
  const [stream] = streams;
  expect(await stream.headerValue('accept')).toContain('text/event-stream');
  // Client-side navigation keeps the one stream.
  await page.getByRole('link', { name: 'Dashboard' }).first().click();
  await page.waitForTimeout(500);
  expect(streams).toHaveLength(1);

  await logoutThroughHeader(page);
  await expect.poll(() => ended.has(stream), { message: 'the EventSource closes on sign-out' }).toBe(true);
  // Heartbeats are 1 s on the test server: a reconnecting EventSource would have tried by now.
  await page.waitForTimeout(2500);
  expect(streams).toHaveLength(1);
});
