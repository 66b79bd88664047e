/**
 * Direct messages through the pages, with JavaScript on and off, in two browser contexts:
 * Alice writes to Bob; with JS on Bob's open pages show it without a reload (the live
 * stream), with JS off after one; Bob replies. A stranger gets the 403 page in plain words.
 */
import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { classWith, closeAll, signedIn } from './people';

/** What Bob's open page shows once the message is in: at once with JS (live), after a reload without. */
async function seesWithoutTyping(page: Page, jsEnabled: boolean, check: () => Promise<void>) {
  if (!jsEnabled) await page.reload();
  await check();
}

/** Sends through the thread's form; with JS the page must not reload (a marker on window survives). */
async function sendInThread(page: Page, text: string, jsEnabled: boolean) {
  if (jsEnabled) await page.evaluate(() => Object.assign(window, { samePageMarker: true }));
  const box = page.getByRole('textbox', { name: /^Message to / });
  await box.fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('thread').getByText(text)).toBeVisible();
  await expect(box).toHaveValue('');
  if (jsEnabled) expect(await page.evaluate(() => 'samePageMarker' in window)).toBe(true);
}

test('Alice messages Bob, who sees it live (JS) or on reload (no JS), reads it and replies', async ({
  browser,
  javaScriptEnabled,
}) => {
  const { teacher, students } = await classWith(browser, 'Alice', 'Bob');
  const [alice, bob] = students;

  // Bob keeps his conversations open while Alice writes.
  await bob.page.goto('/messages');
  await expect(bob.page.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible();
  await expect(bob.page.getByText('No conversations yet.')).toBeVisible();
  await expectAccessible(bob.page);

  await alice.page.goto('/messages');
  await alice.page.getByLabel('Write to').selectOption({ label: `${bob.name} (student)` });
  await alice.page.getByRole('button', { name: 'New message' }).click();
  await expect(alice.page).toHaveURL(new RegExp(`/messages/${bob.id}$`));
  await expect(alice.page.getByRole('heading', { name: `Messages with ${bob.name}` })).toBeVisible();
  await expect(alice.page.getByText('No messages yet. Say hello!')).toBeVisible();
  await expectAccessible(alice.page);
  await sendInThread(alice.page, 'Hi Bob, shall we revise chapter 4?', javaScriptEnabled);

  await seesWithoutTyping(bob.page, javaScriptEnabled, async () => {
    const row = bob.page.getByTestId('conversation').filter({ hasText: alice.name });
    await expect(row.getByTestId('unread-badge')).toHaveText('1 unread');
    await expect(row).toContainText('Hi Bob, shall we revise chapter 4?');
  });
  await expectAccessible(bob.page);

  // Opening the thread reads it; Bob keeps it open for Alice's next message.
  await bob.page.getByTestId('conversations').getByRole('link', { name: alice.name }).click();
  await expect(bob.page).toHaveURL(new RegExp(`/messages/${alice.id}$`));
  await expect(bob.page.getByTestId('thread').getByText('Hi Bob, shall we revise chapter 4?')).toBeVisible();
  await expectAccessible(bob.page);

  await sendInThread(alice.page, 'Library at 4pm?', javaScriptEnabled);
  await seesWithoutTyping(bob.page, javaScriptEnabled, async () => {
    await expect(bob.page.getByTestId('thread').getByText('Library at 4pm?')).toBeVisible();
  });
  await sendInThread(bob.page, 'Yes, see you there!', javaScriptEnabled);

  await alice.page.reload();
  const aliceThread = alice.page.getByTestId('thread').getByTestId('message');
  await expect(aliceThread).toHaveCount(3);
  await expect(aliceThread.last()).toContainText(bob.name);
  await expect(aliceThread.last()).toContainText('Yes, see you there!');

  // Read means read: Bob's list has no badge left, Alice's shows Bob's unread reply.
  await bob.page.goto('/messages');
  await expect(bob.page.getByTestId('conversation').filter({ hasText: alice.name })).toBeVisible();
  await expect(bob.page.getByTestId('unread-badge')).toHaveCount(0);
  await alice.page.goto('/messages');
  const aliceRow = alice.page.getByTestId('conversation').filter({ hasText: bob.name });
  await expect(aliceRow).toContainText('Yes, see you there!');
  await expect(aliceRow.getByTestId('unread-badge')).toHaveCount(0);
  await closeAll(teacher.context, alice.context, bob.context);
});

test('a refused message keeps the typed text beside its reason; the picker offers course-mates only', async ({
  browser,
}) => {
  const { teacher, students } = await classWith(browser, 'Cara', 'Dan');
  const [cara, dan] = students;
  const stranger = await signedIn(browser, 'student', 'Olga');

  await cara.page.goto('/messages');
  const options = cara.page.getByLabel('Write to').locator('option');
  await expect(options).toHaveText(['Choose a person', `${dan.name} (student)`, `${teacher.name} (instructor)`]);

  await cara.page.goto(`/messages/${dan.id}`);
  const box = cara.page.getByRole('textbox', { name: `Message to ${dan.name}` });
  // The browser would stop at maxlength; the server's own limit is what is tested here.
  await box.evaluate((el) => el.removeAttribute('maxlength'));
  const tooLong = 'a'.repeat(2001);
  await box.fill(tooLong);
  await cara.page.getByRole('button', { name: 'Send' }).click();
  await expect(cara.page.getByText('A message must be at most 2,000 characters.')).toBeVisible();
  await expect(box).toHaveValue(tooLong);
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(cara.page);

  await stranger.page.goto(`/messages/${cara.id}`);
  await expect(stranger.page.getByText('Error 403')).toBeVisible();
  await expect(
    stranger.page.getByText('You can only message people who share a course with you or your study buddies.'),
  ).toBeVisible();
  await expectAccessible(stranger.page);
  await stranger.page.goto('/messages/01JZZZZZZZZZZZZZZZZZZZZZZZ');
  await expect(stranger.page.getByText('Error 404')).toBeVisible();

  // The profile offers "Message" where the rule allows it, and only there.
  await cara.page.goto(`/users/${dan.id}`);
  await cara.page.getByRole('link', { name: `Message ${dan.name}` }).click();
  await expect(cara.page).toHaveURL(new RegExp(`/messages/${dan.id}$`));
  await stranger.page.goto(`/users/${cara.id}`);
  await expect(stranger.page.getByRole('heading', { name: cara.name })).toBeVisible();
  await expect(stranger.page.getByRole('link', { name: `Message ${cara.name}` })).toHaveCount(0);
  await closeAll(teacher.context, cara.context, dan.context, stranger.context);
});
