/**
 * The LMS pages at phone width, JavaScript on and off (as e2e/phone-width.phone.spec.ts does
 * for the rest): they answer, fit the screen and pass axe.
 */
import type { Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, test } from './fixtures';
import { courseWithAssignment } from './course-builders';
import { aSchoolUser } from './school-accounts';

async function expectFitsPhone(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
  await expectAccessible(page);
}

test('the admin pages (LMS, users, courses, health) and the roster sync page fit a phone and pass axe', async ({
  browser,
}) => {
  const adminContext = await browser.newContext();
  const admin = await aSchoolUser(['admin']);
  const signIn = await adminContext.request.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  expect(new URL(signIn.url()).pathname).toBe('/admin');
  const host = `https://lms-${Date.now().toString(36)}.example.edu`;
  const created = await adminContext.request.post('/api/lti/platforms', {
    headers: { Origin: new URL(signIn.url()).origin },
    data: {
      name: 'A district LMS with a rather long name',
      issuer: host,
      clientId: '10000000000000000042',
      deploymentIds: ['7:2b5b2b1a9e8f0c1d2e3f4a5b6c7d8e9f'],
      authUrl: `${host}/api/lti/authorize_redirect`,
      tokenUrl: `${host}/login/oauth2/token`,
      jwksUrl: `${host}/api/lti/security/jwks`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const platformId = (await created.json()).data.id;
  const page = await adminContext.newPage();
  await expectFitsPhone(page, '/admin/lti');
  await expectFitsPhone(page, `/admin/lti/${platformId}`);
  await expectFitsPhone(page, `/admin/lti/${platformId}/delete`);
  // The rest of the admin area (issue 16).
  const me = (await (await adminContext.request.get('/api/auth/me')).json()).user;
  for (const path of ['/admin', '/admin/users', `/admin/users/${me.id}`, '/admin/courses', '/admin/health']) {
    await expectFitsPhone(page, path);
  }

  const teacherContext = await browser.newContext();
  await createAccount(teacherContext.request, 'instructor');
  const { course } = await courseWithAssignment(teacherContext.request);
  const teacherPage = await teacherContext.newPage();
  await expectFitsPhone(teacherPage, `/courses/${course.id}/roster-sync`);
  await expect(teacherPage.getByTestId('roster-sync-unavailable')).toBeVisible();
  await adminContext.close();
  await teacherContext.close();
});
