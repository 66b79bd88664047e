/**
 * "Sign in with school account" through the local Cognito stand-in, with JavaScript on and off:
 * the first sign-in creates the user with the role its groups give, logout ends our session
 * and the pool's, and a failed sign-in comes back to the login page with its reason.
 */
import type { Page } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { aSchoolUser, ISSUER_URL } from './school-accounts';

async function signInWithSchool(page: Page, username: string, from = '/login') {
  await page.goto(from);
  const link = page.getByRole('link', { name: 'Sign in with school account' });
  // Cognito's hosted page refuses frames: inside an LMS iframe the link must leave the frame.
  await expect(link).toHaveAttribute('target', '_top');
  const href = await link.getAttribute('href');
  const separator = href!.includes('?') ? '&' : '?';
  // The stand-in has no login page: the hint names who signs in (as a username would).
  await page.goto(`${href}${separator}login_hint=${encodeURIComponent(username)}`);
}

test('a student signs in with the school account and lands on the student dashboard', async ({ page }) => {
  const student = await aSchoolUser(['student']);
  await signInWithSchool(page, student.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'Welcome, Sky' })).toBeVisible();
  await expect(page.getByText('Your courses and assignments.')).toBeVisible();
});

test('an instructor signs in, lands on the teaching dashboard, and logout ends both sessions', async ({ page }) => {
  const instructor = await aSchoolUser(['instructor']);
  await signInWithSchool(page, instructor.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText('Your teaching dashboard.')).toBeVisible();

  const poolLogouts: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${ISSUER_URL}/logout`)) poolLogouts.push(request.url());
  });
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(poolLogouts).toHaveLength(1);
  const logout = new URL(poolLogouts[0]);
  expect(logout.searchParams.get('logout_uri')).toMatch(/\/login$/);
  expect(logout.searchParams.get('client_id')).toBeTruthy();
  // Our session is gone too: a signed-in page sends us to the login page.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);
});

test('the second sign-in finds the same user, and the groups keep deciding the role', async ({ page, context }) => {
  const user = await aSchoolUser([]);
  await signInWithSchool(page, user.username);
  // In no group: a student.
  await expect(page.getByText('Your courses and assignments.')).toBeVisible();
  const me = await (await page.request.get('/api/auth/me')).json();
  await context.clearCookies();
  await aSchoolUser(['instructor'], { sameAs: user });
  await signInWithSchool(page, user.username);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText('Your teaching dashboard.')).toBeVisible();
  const again = await (await page.request.get('/api/auth/me')).json();
  expect(again.user).toMatchObject({ id: me.user.id, role: 'instructor' });
});

test('signing in from a protected page comes back to it', async ({ page }) => {
  const student = await aSchoolUser(['student']);
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fprofile/);
  await signInWithSchool(page, student.username, page.url());
  await expect(page).toHaveURL(/\/profile$/);
});

test('an unknown pool user comes back to the login page with a clear error', async ({ page }) => {
  await signInWithSchool(page, 'nobody-in-this-pool');
  await expect(page).toHaveURL(/\/login\?signInError=cancelled/);
  await expect(page.getByRole('alert')).toContainText('was cancelled');
});

test('a pool account cannot take over a local account whose email it has not verified', async ({ page, request }) => {
  const local = await createAccount(request, 'instructor');
  const impostor = await aSchoolUser(['admin'], { email: local.email, emailVerified: false });
  await signInWithSchool(page, impostor.username);
  await expect(page).toHaveURL(/\/login\?signInError=email-taken/);
  await expect(page.getByRole('alert')).toContainText('already exists');
});

test('a callback with a forged state or without the state cookie is refused on the login page', async ({ page }) => {
  await page.goto('/auth/cognito/callback?code=abc&state=forged');
  await expect(page).toHaveURL(/\/login\?signInError=expired/);
  await expect(page.getByRole('alert')).toContainText('took too long');
  await page.goto('/auth/cognito/callback?error=access_denied');
  await expect(page).toHaveURL(/\/login\?signInError=cancelled/);
});

test('the signup page offers the school account too', async ({ page }) => {
  await page.goto('/signup');
  await expect(page.getByRole('link', { name: 'Sign in with school account' })).toHaveAttribute('target', '_top');
});
