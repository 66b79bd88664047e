/**
 * Settings with JavaScript on ("js") and off ("no-js"): where you are signed in and "sign out
 * everywhere else", a password change that asks the current one, mail choices, and deleting
 * the account, and a change of address confirmed from the new mailbox.
 */
import { createAccount, expect, expectAccessible, loginThroughForm, test } from './fixtures';
import { linkTo, waitForMail } from './mailbox';

test('sessions, password and mail choices are managed from settings', async ({ browser }) => {
  const elsewhere = await browser.newContext();
  const user = await createAccount(elsewhere.request, 'student', 'Nia');
  const context = await browser.newContext();
  const page = await context.newPage();
  await loginThroughForm(page, user);

  await page.goto('/settings/sessions');
  // The signup's page session, its API token session, and this browser's.
  await expect(page.getByTestId('sessions').getByRole('listitem')).toHaveCount(3);
  await expect(page.getByText('(this device)')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByTestId('sessions').getByRole('listitem')).toHaveCount(1);
  // The other browser's session is over.
  const other = await elsewhere.newPage();
  await other.goto('/dashboard');
  await expect(other).toHaveURL(/\/login/);

  await page.goto('/settings');
  await expectAccessible(page);
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password').fill('a-new-secret-55');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your current password is not correct.').first()).toBeVisible();
  await page.getByLabel('Current password').fill(user.password);
  await page.getByLabel('New password').fill('a-new-secret-55');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');
  // This session stays signed in.
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/settings$/);

  await page.getByLabel('One daily digest of everything else').check();
  await page.getByLabel('A mail for each direct message').uncheck();
  await page.getByRole('button', { name: 'Save mail choices' }).click();
  await expect(page.getByRole('status')).toContainText('Your mail choices are saved');
  await page.goto('/settings');
  await expect(page.getByLabel('One daily digest of everything else')).toBeChecked();
  await expect(page.getByLabel('A mail for each direct message')).not.toBeChecked();
  await Promise.all([context.close(), elsewhere.close()]);
});

test('deleting the account asks for DELETE, signs out and ends the sign-in', async ({ browser }) => {
  const context = await browser.newContext();
  const user = await createAccount(context.request, 'student', 'Oskar');
  const page = await context.newPage();
  await page.goto('/settings/delete');
  await expectAccessible(page);
  await page.getByLabel('Type DELETE to confirm').fill('yes');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Type DELETE to confirm.').last()).toBeVisible();
  await page.getByLabel('Type DELETE to confirm').fill('DELETE');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Incorrect email or password.')).toBeVisible();
  await context.close();
});

test('a new email address counts once its mailed link is confirmed', async ({ browser }) => {
  const context = await browser.newContext();
  const user = await createAccount(context.request, 'student', 'Wen');
  const page = await context.newPage();
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Change email address' }).click();
  await expect(page).toHaveURL(/\/settings\/email$/);
  await expectAccessible(page);
  const newEmail = `moved-${user.email}`.toLowerCase();
  await page.getByLabel('New email address').fill(newEmail);
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(page.getByText('That is not your current password.').first()).toBeVisible();
  // What was typed stays.
  await expect(page.getByLabel('New email address')).toHaveValue(newEmail);
  await page.getByLabel('Current password').fill(user.password);
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(page.getByRole('status')).toContainText(`We sent a link to ${newEmail}`);
  // The account keeps its address until the link is opened.
  await expect(page.getByText(user.email.toLowerCase()).first()).toBeVisible();

  const mail = await waitForMail(page.request, { to: newEmail, subject: 'Confirm your new ClassCast email address' });
  await page.goto(linkTo(mail, '/verify-email/'));
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();
  await page.goto('/settings');
  await expect(page.getByText(`${newEmail} (confirmed)`)).toBeVisible();
  await context.close();
});
