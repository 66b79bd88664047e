import { describe, expect, it } from 'vitest';
import type { AuthSession } from '~/data/repository';
import { createUserSessionCookie } from '~/auth/session.server';
import { csrfRefusal, csrfTokenFor } from './csrf.server';

const APP = 'http://127.0.0.1:3000';
const SESSION_ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

/** A signed session cookie naming SESSION_ID, as the login page would set it. */
async function signedInCookie(): Promise<string> {
  const record: AuthSession = {
    id: SESSION_ID,
    userId: '01JUSER0000000000000000000',
    generation: 0,
    revoked: false,
    expiresAt: '2100-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  const ctx = {
    repos: { authSessions: { create: async () => record } as never },
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const setCookie = await createUserSessionCookie(ctx, record.userId);
  return setCookie.split(';')[0] ?? '';
}

function post(path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  return new Request(`${APP}${path}`, { method: 'POST', headers: init.headers, body: init.body });
}

const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
const json = { 'Content-Type': 'application/json' };

describe('csrfRefusal', () => {
  it('lets reads and Bearer calls through', async () => {
    expect(
      await csrfRefusal(new Request(`${APP}/dashboard`, { headers: { Origin: 'https://evil.example' } })),
    ).toBeNull();
    expect(
      await csrfRefusal(
        post('/api/courses', { headers: { Authorization: 'Bearer x', Origin: 'https://evil.example' } }),
      ),
    ).toBeNull();
  });

  it('refuses a foreign Origin even before sign-in (login CSRF)', async () => {
    expect(
      await csrfRefusal(post('/login', { headers: { ...form, Origin: 'https://evil.example' }, body: 'a=1' })),
    ).toMatch(/another site/);
  });

  it('accepts same-origin pages, ?_data= and .data posts with the session cookie', async () => {
    const Cookie = await signedInCookie();
    for (const path of ['/dashboard', '/dashboard?_data=routes%2Fdashboard', '/dashboard.data', '/logout']) {
      expect(await csrfRefusal(post(path, { headers: { ...form, Cookie, Origin: APP }, body: 'a=1' }))).toBeNull();
    }
  });

  it('refuses a foreign Origin or Referer with the session cookie on every kind of path', async () => {
    const Cookie = await signedInCookie();
    for (const path of [
      '/dashboard',
      '/dashboard?_data=routes%2Fdashboard',
      '/dashboard.data',
      '/logout',
      '/api/courses',
    ]) {
      expect(
        await csrfRefusal(post(path, { headers: { ...json, Cookie, Origin: 'http://127.0.0.1:3001' }, body: '{}' })),
      ).toMatch(/another site/);
      expect(
        await csrfRefusal(post(path, { headers: { ...json, Cookie, Referer: 'https://evil.example/x' }, body: '{}' })),
      ).toMatch(/another site/);
    }
  });

  it('refuses form and text/plain bodies to /api with the cookie, even from our origin', async () => {
    const Cookie = await signedInCookie();
    expect(
      await csrfRefusal(post('/api/courses', { headers: { ...form, Cookie, Origin: APP }, body: 'title=x' })),
    ).toMatch(/JSON/);
    expect(
      await csrfRefusal(
        post('/api/courses', { headers: { 'Content-Type': 'text/plain', Cookie, Origin: APP }, body: '{}' }),
      ),
    ).toMatch(/JSON/);
    expect(
      await csrfRefusal(post('/api/courses', { headers: { ...json, Cookie, Origin: APP }, body: '{}' })),
    ).toBeNull();
  });

  it('lets body-less API calls (DELETE, mark-as-read) through from our origin or a non-browser client', async () => {
    const cookie = await signedInCookie();
    const del = (headers: Record<string, string>) =>
      new Request(`${APP}/api/videos/x/interactions/y`, { method: 'DELETE', headers: { Cookie: cookie, ...headers } });
    expect(await csrfRefusal(del({ Origin: APP }))).toBeNull();
    expect(await csrfRefusal(del({}))).toBeNull();
    expect(await csrfRefusal(del({ 'Content-Length': '0' }))).toBeNull();
    expect(await csrfRefusal(del({ Origin: 'https://evil.example' }))).toMatch(/another site/);
    // An empty form is still a form: refused on /api with the cookie.
    expect(
      await csrfRefusal(del({ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '0' })),
    ).toMatch(/JSON/);
    // A page (not /api) still needs the form token without Origin/Referer.
    const pagePost = new Request(`${APP}/connections`, { method: 'POST', headers: { Cookie: cookie } });
    expect(await csrfRefusal(pagePost)).toMatch(/could not be verified/);
  });

  it('without Origin and Referer, a page post needs the signed form token of this session', async () => {
    const Cookie = await signedInCookie();
    const token = csrfTokenFor(SESSION_ID);
    expect(await csrfRefusal(post('/dashboard', { headers: { ...form, Cookie }, body: 'intent=x' }))).toMatch(
      /verified/,
    );
    expect(await csrfRefusal(post('/dashboard', { headers: { ...form, Cookie }, body: `_csrf=${token}x` }))).toMatch(
      /verified/,
    );
    expect(
      await csrfRefusal(post('/dashboard', { headers: { ...form, Cookie }, body: `_csrf=${csrfTokenFor('01OTHER')}` })),
    ).toMatch(/verified/);
    expect(
      await csrfRefusal(post('/dashboard', { headers: { ...form, Cookie }, body: `intent=x&_csrf=${token}` })),
    ).toBeNull();
    // Origin: null (a sandboxed or no-referrer page) proves nothing either.
    expect(
      await csrfRefusal(post('/dashboard', { headers: { ...form, Cookie, Origin: 'null' }, body: 'a=1' })),
    ).toMatch(/verified/);
  });

  it('refuses an LMS origin that is not in TRUSTED_ORIGINS', async () => {
    const Cookie = await signedInCookie();
    expect(
      await csrfRefusal(
        post('/dashboard', { headers: { ...form, Cookie, Origin: 'https://lms.example.edu' }, body: 'a=1' }),
      ),
    ).toMatch(/another site/);
  });
});
