/**
 * The admin area (issue 16), JavaScript on and off: an admin signs in and lands on /admin,
 * finds a student, makes them an instructor and disables them (their open session ends),
 * archives a course (its student no longer sees it) and reads the health page. Axe on each page.
 */
import type { Browser, Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, test } from './fixtures';
import { courseWithAssignment, enrolledStudent } from './course-builders';
import { aSchoolUser } from './school-accounts';

async function signInAsAdmin(page: Page) {
  const admin = await aSchoolUser(['admin']);
  await page.goto('/login');
  const href = await page.getByRole('link', { name: 'Sign in with school account' }).getAttribute('href');
  await page.goto(`${href}${href!.includes('?') ? '&' : '?'}login_hint=${encodeURIComponent(admin.username)}`);
  await expect(page).toHaveURL(/\/admin$/);
}

async function signedInStudentIn(browser: Browser, joinCode: string) {
  const context = await browser.newContext();
  const student = await enrolledStudent(context.request, joinCode, 'Quinn');
  return { context, student, page: await context.newPage() };
}

test('an admin manages a user and a course and checks health', async ({ page, browser }) => {
  const teacherContext = await browser.newContext();
  await createAccount(teacherContext.request, 'instructor');
  const { course } = await courseWithAssignment(teacherContext.request);
  const pupil = await signedInStudentIn(browser, course.joinCode);
  await pupil.page.goto('/dashboard');
  await expect(pupil.page.getByRole('link', { name: course.title })).toBeVisible();

  await signInAsAdmin(page);
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
  await expectAccessible(page);

  // Users: find the student, make them an instructor, then disable them.
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await page.getByLabel('Name or email').fill(pupil.student.email);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('directory').getByRole('listitem')).toHaveCount(1);
  await expectAccessible(page);
  await page.getByRole('link', { name: /^Manage/ }).click();
  await expect(page.getByRole('heading', { name: `Quinn ${pupil.student.lastName}`, level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('New role').selectOption('instructor');
  await page.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByRole('status')).toContainText('is now an instructor');
  await expect(page.getByTestId('user-role')).toHaveText('instructor');
  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('status')).toContainText('disabled and signed out everywhere');
  await expect(page.getByTestId('user-status')).toHaveText('Disabled');
  await expectAccessible(page);
  // The user's open session is over.
  await pupil.page.goto('/dashboard');
  await expect(pupil.page).toHaveURL(/\/login/);
  await page.getByRole('button', { name: 'Enable account' }).click();
  await expect(page.getByTestId('user-status')).toHaveText('Active');

  // Courses: archive one; a student of it no longer sees it.
  const other = await signedInStudentIn(browser, course.joinCode);
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Courses' }).click();
  await expect(page).toHaveURL(/\/admin\/courses$/);
  await expectAccessible(page);
  await page
    .getByRole('button', { name: `Archive ${course.title}` })
    .first()
    .click();
  await expect(page.getByRole('status')).toContainText(`${course.title} is archived`);
  await other.page.goto('/dashboard');
  await expect(other.page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(other.page.getByRole('link', { name: course.title })).toHaveCount(0);

  // Health: the database is up.
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Health' }).click();
  await expect(page.getByTestId('health-database')).toContainText('Up');
  await expect(page.getByTestId('health-database')).toContainText('schema current');
  await expectAccessible(page);

  for (const c of [teacherContext, pupil.context, other.context]) await c.close();
});

test('students and instructors get 403 pages and no Admin link', async ({ page, request }) => {
  const teacher = await createAccount(request, 'instructor');
  await page.goto('/login');
  await page.getByLabel('Email').fill(teacher.email);
  await page.getByLabel('Password').fill(teacher.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  for (const path of ['/admin', '/admin/users', '/admin/courses', '/admin/health']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
  }
  await expectAccessible(page);
});
