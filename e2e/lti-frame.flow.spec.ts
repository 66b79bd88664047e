/**
 * A real cross-site frame in Chromium, JavaScript on and off: an LMS page on another site
 * (localhost vs the app's 127.0.0.1) frames ClassCast once its origin is registered, and the
 * frame gets the compact layout whose ways out leave the frame; an unregistered site's frame
 * is refused by frame-ancestors.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { aSchoolUser } from './school-accounts';

/** An "LMS course page" that frames `src`, served on localhost: another site than 127.0.0.1. */
async function lmsPage(src: string) {
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><html lang="en"><head><title>Course · LMS</title></head><body><main><h1>Course</h1>` +
        `<iframe title="ClassCast" src="${src}" width="900" height="600"></iframe></main></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { origin, stop: () => new Promise((resolve) => server.close(resolve)) };
}

async function register(api: APIRequestContext, origin: string) {
  const admin = await aSchoolUser(['admin']);
  await api.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  const tag = randomBytes(4).toString('hex');
  const res = await api.post('/api/lti/platforms', {
    data: {
      name: `Frame test ${tag}`,
      issuer: origin,
      clientId: `client-${tag}`,
      deploymentIds: ['1'],
      authUrl: `${origin}/auth`,
      tokenUrl: `${origin}/token`,
      jwksUrl: `${origin}/jwks`,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  // The header list refreshes in the background within seconds.
  await expect
    .poll(async () => (await api.get('/login')).headers()['content-security-policy'] ?? '', { timeout: 20_000 })
    .toContain(origin);
}

function classcastFrame(page: Page, baseURL: string) {
  return page.frames().find((f) => f.url().startsWith(baseURL));
}

test('a registered LMS frames ClassCast in the compact layout; an unregistered one cannot', async ({
  page,
  playwright,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const registered = await lmsPage(`${base}/login?embed=1`);
  const unregistered = await lmsPage(`${base}/login?embed=1`);
  try {
    await register(await playwright.request.newContext({ baseURL }), registered.origin);

    await page.goto(registered.origin);
    const frame = page.frameLocator('iframe[title="ClassCast"]');
    await expect(frame.getByRole('heading', { name: 'Log in to ClassCast' })).toBeVisible();
    // The compact bar, not the site header; its ways out leave the frame.
    await expect(frame.getByTestId('open-in-new-tab')).toHaveAttribute('target', '_blank');
    await expect(frame.getByRole('link', { name: 'Log in', exact: true })).toHaveAttribute('target', '_top');
    await expect(frame.getByRole('link', { name: 'Sign up' })).toHaveCount(0);
    const inner = classcastFrame(page, base);
    expect(inner).toBeTruthy();

    await page.goto(unregistered.origin);
    await page.waitForLoadState('load');
    // Chromium replaces a refused frame with its own error page: no ClassCast document in it.
    await expect(page.locator('iframe[title="ClassCast"]')).toBeAttached();
    const child = page.frames().find((f) => f !== page.mainFrame());
    expect(child?.url()).toMatch(/^chrome-error:/);
  } finally {
    await registered.stop();
    await unregistered.stop();
  }
});

test('the framed login page passes axe', async ({ page, playwright, baseURL }) => {
  const base = baseURL ?? '';
  const lms = await lmsPage(`${base}/login?embed=1`);
  try {
    await register(await playwright.request.newContext({ baseURL }), lms.origin);
    // axe checks the framed document on its own (its own URL, same compact layout).
    await page.goto(`${base}/login?embed=1`);
    await expect(page.getByTestId('open-in-new-tab')).toBeVisible();
    await expectAccessible(page);
  } finally {
    await lms.stop();
  }
});
