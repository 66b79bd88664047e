/**
 * Fixtures that create their own users: no test depends on another's data.
 */
import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  test as base,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';

export interface TestUser {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role: 'student' | 'instructor';
}

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;
}

export function newUserData(role: TestUser['role'], firstName = role === 'student' ? 'Sam' : 'Ines'): TestUser {
  return { email: uniqueEmail(role), password: 'correct-horse-42', firstName, lastName: 'Tester', role };
}

/** Creates an account through the JSON API (fast), for tests that are not about signup. */
export async function createAccount(
  request: APIRequestContext,
  role: TestUser['role'],
  firstName?: string,
): Promise<TestUser> {
  const user = newUserData(role, firstName);
  const res = await request.post('/api/auth/signup', { data: user });
  expect(res.status(), await res.text()).toBe(201);
  return user;
}

export async function loginThroughForm(page: Page, user: Pick<TestUser, 'email' | 'password'>) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

export async function logoutThroughHeader(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Log in' }).first()).toBeVisible();
}

/**
 * Zero serious or critical axe violations on the current page. axe runs as a script, so
 * for a JavaScript-off page it checks a copy of the served DOM (scripts stripped, same
 * styles) in a scripting-enabled page of the same browser.
 */
export async function expectAccessible(page: Page) {
  // page.evaluate still works with scripting off, but axe's timers never fire there.
  const jsEnabled = base.info().project.use.javaScriptEnabled !== false;
  const target = jsEnabled ? page : await staticCopy(page);
  // Without child frames, axe.run in the page itself (legacy mode) gives the same answer as
  // the default partial run, which parses axe a second time in an extra blank page; a page
  // with frames (an LMS embedding ours) keeps the default, which also checks the frames.
  const results = await new AxeBuilder({ page: target }).setLegacyMode(target.frames().length === 1).analyze();
  if (target !== page) await target.close();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${page.url()}`,
  ).toEqual([]);
}

/** One scripting-enabled context per browser for the static copies (a page each, closed after). */
const copyContexts = new WeakMap<Browser, Promise<BrowserContext>>();

async function staticCopy(page: Page): Promise<Page> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser for the accessibility copy');
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  let context = copyContexts.get(browser);
  if (!context) {
    context = browser.newContext({ javaScriptEnabled: true });
    copyContexts.set(browser, context);
  }
  const copy = await (await context).newPage();
  const url = page.url();
  // Serve the copy at the same URL so relative stylesheets load as they did.
  await copy.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await copy.goto(url);
  return copy;
}

export const test = base;
export { expect };
