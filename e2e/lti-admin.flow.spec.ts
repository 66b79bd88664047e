/**
 * An admin adds an LMS on /admin/lti with JavaScript on and off: a wrong form comes back with
 * its errors, the registration shows ClassCast's values for the LMS, it can be edited and
 * deleted (after a confirmation), and the signing key can be rotated; /lti/jwks follows.
 */
import type { Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, loginThroughForm, test } from './fixtures';
import { aSchoolUser } from './school-accounts';

/** Admins exist only through the school pool's `admin` group (signup makes students and instructors). */
async function signInAsAdmin(page: Page) {
  const admin = await aSchoolUser(['admin']);
  await page.goto('/login');
  const href = await page.getByRole('link', { name: 'Sign in with school account' }).getAttribute('href');
  await page.goto(`${href}${href!.includes('?') ? '&' : '?'}login_hint=${encodeURIComponent(admin.username)}`);
  await expect(page).toHaveURL(/\/admin$/);
}

async function fillRegistration(page: Page, values: Record<string, string>) {
  const labels: Record<string, string> = {
    name: 'Name',
    issuer: 'Issuer',
    clientId: 'Client id',
    deploymentIds: 'Deployment ids',
    authUrl: 'Authorization URL',
    tokenUrl: 'Token URL',
    jwksUrl: 'Keyset (JWKS) URL',
  };
  const form = page.getByRole('region', { name: 'Register a platform' });
  for (const [field, value] of Object.entries(values)) {
    await form.getByLabel(labels[field], { exact: true }).fill(value);
  }
  return form;
}

test('an admin registers an LMS, fixes a mistake, edits and deletes it', async ({ page, baseURL }) => {
  await signInAsAdmin(page);
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'LMS platforms' }).click();
  await expect(page).toHaveURL(/\/admin\/lti$/);
  await expect(page.getByRole('heading', { name: 'LMS platforms (LTI 1.3)' })).toBeVisible();
  await expect(page.getByText(`${baseURL}/lti/login`, { exact: true })).toBeVisible();
  await expectAccessible(page);

  const host = `https://canvas-${Date.now().toString(36)}.example.edu`;
  let form = await fillRegistration(page, {
    name: 'Canvas (district)',
    issuer: 'canvas.example.edu',
    clientId: '10000000000042',
    deploymentIds: '7:abc\n8:def',
    authUrl: 'http://sso.example.edu/authorize',
    tokenUrl: `${host}/login/oauth2/token`,
    jwksUrl: `${host}/api/lti/security/jwks`,
  });
  await form.getByRole('button', { name: 'Register platform' }).click();
  form = page.getByRole('region', { name: 'Register a platform' });
  await expect(form.getByRole('alert')).toHaveText('Please correct the fields marked below.');
  await expect(form.getByText(/Issuer must be a full URL/)).toBeVisible();
  await expect(form.getByText(/Authorization URL must start with https:\/\//)).toBeVisible();
  // What was typed is kept.
  await expect(form.getByLabel('Client id', { exact: true })).toHaveValue('10000000000042');
  await expect(form.getByLabel('Issuer', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  await fillRegistration(page, { issuer: host, authUrl: `${host}/api/lti/authorize_redirect` });
  await form.getByRole('button', { name: 'Register platform' }).click();
  await expect(page).toHaveURL(/\/admin\/lti\/[0-9A-Z]{26}$/);
  await expect(page.getByRole('status')).toContainText('Canvas (district) is registered');
  await expect(page.getByRole('heading', { name: 'Canvas (district)', level: 1 })).toBeVisible();
  const setup = page.getByRole('region', { name: 'ClassCast’s details for your LMS' });
  await expect(setup.getByText(`${baseURL}/lti/jwks`, { exact: true })).toBeVisible();
  await expect(setup.getByText(`${baseURL}/lti/launch`, { exact: true }).first()).toBeVisible();
  await expect(page.getByLabel('Deployment ids')).toHaveValue('7:abc\n8:def');
  await expectAccessible(page);
  const platformUrl = page.url();

  // The same issuer and client id again is refused with a clear reason.
  await page.goto('/admin/lti');
  form = await fillRegistration(page, {
    name: 'Twice',
    issuer: host,
    clientId: '10000000000042',
    deploymentIds: '1',
    authUrl: `${host}/auth`,
    tokenUrl: `${host}/token`,
    jwksUrl: `${host}/jwks`,
  });
  await form.getByRole('button', { name: 'Register platform' }).click();
  await expect(
    page
      .getByRole('region', { name: 'Register a platform' })
      .getByText('This issuer and client id are registered already.'),
  ).toBeVisible();

  await page.goto(platformUrl);
  await page.getByLabel('Name', { exact: true }).fill('Canvas (north district)');
  await page.getByRole('button', { name: 'Save registration' }).click();
  await expect(page.getByRole('status')).toContainText('Canvas (north district) is saved.');
  await expect(page.getByRole('heading', { name: 'Canvas (north district)', level: 1 })).toBeVisible();

  await page.getByRole('link', { name: 'Delete registration' }).click();
  await expect(
    page.getByRole('heading', { name: 'Delete the registration of Canvas (north district)?' }),
  ).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Delete registration' }).click();
  await expect(page).toHaveURL(/\/admin\/lti$/);
  await expect(page.getByRole('status')).toContainText('Canvas (north district) was removed.');
  await expect(page.getByRole('link', { name: 'Canvas (north district)' })).toHaveCount(0);
  expect((await page.request.get(platformUrl)).status()).toBe(404);
});

test('an admin rotates the signing key: the new key is published at once, the old one stays', async ({ page }) => {
  await signInAsAdmin(page);
  const before = (await (await page.request.get('/lti/jwks')).json()) as { keys: { kid: string }[] };
  expect(before.keys.length).toBeGreaterThan(0);
  await page.goto('/admin/lti');
  await page.getByRole('button', { name: 'Rotate signing key' }).click();
  await expect(page.getByRole('status')).toContainText(/new signing key is (already )?published/);
  await expect(page.getByTestId('lti-keys').getByText('Published, signs later')).toBeVisible();
  const res = await page.request.get('/lti/jwks');
  expect(res.headers()['cache-control']).toBe('public, max-age=300');
  const after = (await res.json()) as { keys: { kid: string; alg: string; use: string }[] };
  expect(after.keys.length).toBeGreaterThan(1);
  for (const kid of before.keys.map((k) => k.kid)) expect(after.keys.map((k) => k.kid)).toContain(kid);
  for (const key of after.keys) expect(key).toMatchObject({ alg: 'RS256', use: 'sig' });
});

test('instructors and students are refused the LMS pages', async ({ page, request }) => {
  const teacher = await createAccount(request, 'instructor');
  await loginThroughForm(page, teacher);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  expect((await page.request.get('/admin/lti')).status()).toBe(403);
});
