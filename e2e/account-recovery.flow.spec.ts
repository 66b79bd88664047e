/**
 * Forgot password → the mail arrives at the test SMTP server → reset → every other session is
 * refused and the new password works; the link works once. Runs with JavaScript on ("js") and
 * off ("no-js"). Also the signup confirmation: banner → mail → confirm → banner gone.
 */
import { createAccount, expect, expectAccessible, loginThroughForm, test } from './fixtures';
import { linkTo, waitForMail } from './mailbox';

test('a forgotten password is reset from the mailed link, and old sessions end', async ({ browser }) => {
  const elsewhere = await browser.newContext();
  const user = await createAccount(elsewhere.request, 'student', 'Rosa');
  const oldPage = await elsewhere.newPage();
  await oldPage.goto('/dashboard');
  await expect(oldPage).toHaveURL(/\/dashboard/);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password/);
  await expectAccessible(page);
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByTestId('reset-requested')).toContainText('If an account exists');

  const mail = await waitForMail(page.request, { to: user.email, subject: 'Reset your ClassCast password' });
  const link = linkTo(mail, '/reset-password/');
  await page.goto(link);
  await expectAccessible(page);
  await page.getByLabel('New password').fill('a-brand-new-secret-7');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await expect(page.getByTestId('password-changed')).toBeVisible();

  // The session opened before the reset is over.
  await oldPage.goto('/dashboard');
  await expect(oldPage).toHaveURL(/\/login/);

  // The old password is refused, the new one works.
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Incorrect email or password.')).toBeVisible();
  await loginThroughForm(page, { email: user.email, password: 'a-brand-new-secret-7' });

  // The link works once.
  await page.goto(link);
  await page.getByLabel('New password').fill('another-secret-99');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('alert')).toContainText('expired or was already used');
  await Promise.all([context.close(), elsewhere.close()]);
});

test('an unknown address gets the same answer, and a tampered link is refused', async ({ page }) => {
  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(`nobody-${Date.now()}@e2e.test`);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByTestId('reset-requested')).toContainText('If an account exists');
  await page.goto('/reset-password/not-a-real-link');
  await expect(page.getByRole('alert')).toContainText('expired or was already used');
  await expectAccessible(page);
});

test('a new account confirms its address from the mailed link', async ({ browser }) => {
  const context = await browser.newContext();
  const user = await createAccount(context.request, 'instructor', 'Vera');
  const page = await context.newPage();
  await page.goto('/dashboard');
  await expect(page.getByTestId('verify-email-banner')).toBeVisible();
  await expectAccessible(page);
  const mail = await waitForMail(page.request, { to: user.email, subject: 'Confirm your ClassCast email address' });
  await page.goto(linkTo(mail, '/verify-email/'));
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();
  await expect(page.getByTestId('verify-email-banner')).toHaveCount(0);
  await context.close();
});
