/**
 * Who may frame ClassCast and post launches to it (issue 14, part 6), against the real server:
 * once an admin registers an LMS, its origins join CSP frame-ancestors and form-action (in the
 * background, within seconds, no data store trip per page), and the CSRF guard accepts them for
 * posts to the launch endpoints only. An origin nobody registered gets neither.
 */
import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { aSchoolUser } from './school-accounts';

async function signedInAdmin(api: APIRequestContext) {
  const admin = await aSchoolUser(['admin']);
  const res = await api.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  expect(new URL(res.url()).pathname).toBe('/admin');
}

async function cspOf(api: APIRequestContext, path = '/login') {
  const csp = (await api.get(path)).headers()['content-security-policy'] ?? '';
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .find(([first]) => first === name)
      ?.slice(1) ?? [];
  return { frameAncestors: directive('frame-ancestors'), formAction: directive('form-action') };
}

test('a registered platform may frame ClassCast and post its launches; nobody else may', async ({
  playwright,
  baseURL,
}) => {
  const web = await playwright.request.newContext({ baseURL });
  await signedInAdmin(web);
  const tag = randomBytes(4).toString('hex');
  const lms = `https://lms-${tag}.example.edu`;
  const sso = `https://sso-${tag}.example.edu`;
  const stranger = `https://other-${tag}.example.edu`;
  const created = await web.post('/api/lti/platforms', {
    data: {
      name: `Canvas ${tag}`,
      issuer: lms,
      clientId: `client-${tag}`,
      deploymentIds: ['1'],
      authUrl: `${sso}/api/lti/authorize_redirect`,
      tokenUrl: `${sso}/login/oauth2/token`,
      jwksUrl: `${sso}/api/lti/security/jwks`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);

  const anonymous = await playwright.request.newContext({ baseURL });
  await expect
    .poll(async () => (await cspOf(anonymous)).frameAncestors, { timeout: 20_000 })
    .toEqual(expect.arrayContaining(["'self'", lms, sso]));
  const { frameAncestors, formAction } = await cspOf(anonymous);
  expect(frameAncestors).not.toContain(stranger);
  expect(frameAncestors).not.toContain('*');
  // The login redirects to the platform; the deep-linking response is posted to it.
  expect(formAction).toEqual(expect.arrayContaining(["'self'", lms, sso]));
  expect(formAction).not.toContain(stranger);

  const form = (origin: string) => ({
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    data: 'id_token=x&state=y',
  });
  // The guard lets the launch through to its route (which judges the token); a stranger is refused first.
  for (const path of ['/lti/login', '/lti/launch']) {
    const fromLms = await anonymous.post(path, form(lms));
    expect(fromLms.status(), path).not.toBe(403);
    const fromStranger = await anonymous.post(path, form(stranger));
    expect(fromStranger.status(), path).toBe(403);
    expect(await fromStranger.text()).toMatch(/another site/);
  }
  // Everywhere else the LMS's origin is as foreign as any: no driving ClassCast's own forms.
  const dashboard = await web.post('/dashboard', form(lms));
  expect(dashboard.status()).toBe(403);
  const api = await web.post('/api/courses', {
    headers: { Origin: lms, 'Content-Type': 'application/json' },
    data: JSON.stringify({ title: 'x' }),
  });
  expect(api.status()).toBe(403);
});
