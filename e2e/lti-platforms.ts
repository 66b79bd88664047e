/**
 * A fake LMS (tools/lti-platform) registered with the running ClassCast, for the LTI specs.
 */
import type { APIRequestContext } from '@playwright/test';
import { startFakePlatform, type FakePlatform, type FakePlatformOptions } from '../tools/lti-platform';
import { expect } from './fixtures';
import { aPoolToken, aSchoolUser } from './school-accounts';

interface RequestFactory {
  request: {
    newContext(o: { baseURL?: string; extraHTTPHeaders?: Record<string, string> }): Promise<APIRequestContext>;
  };
}

/**
 * Starts a fake LMS and registers it as an admin does through the JSON API (a pool admin,
 * signed in once on the web, calls with their access token). Its origins reach ClassCast's
 * frame-ancestors and launch CSRF check from a cache refreshed in the background, so this
 * waits until the CSP lists it. Each call is a new LMS on a free port: a new issuer.
 */
export async function aRegisteredLms(
  playwright: RequestFactory,
  baseURL: string,
  options: Omit<FakePlatformOptions, 'toolUrl'> = {},
): Promise<FakePlatform> {
  const lms = await startFakePlatform({ toolUrl: baseURL, ...options });
  const admin = await aSchoolUser(['admin']);
  const web = await playwright.request.newContext({ baseURL });
  const signIn = await web.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  expect(new URL(signIn.url()).pathname).toBe('/admin');
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${await aPoolToken(admin)}` },
  });
  const created = await api.post('/api/lti/platforms', { data: lms.registration });
  expect(created.status(), await created.text()).toBe(201);
  await expect
    .poll(async () => (await web.get('/login')).headers()['content-security-policy'] ?? '', { timeout: 20_000 })
    .toContain(lms.url);
  await Promise.all([web.dispose(), api.dispose()]);
  return lms;
}
