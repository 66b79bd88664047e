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
    userAgent: null,
    lastSeenAt: '2026-01-01T00:00:00.000Z',
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

  it('lets the one-click unsubscribe POST through from anywhere (its signed token is the authority), and only that path', async () => {
    const oneClick = { headers: { ...form, Origin: 'https://mail.example' }, body: 'List-Unsubscribe=One-Click' };
    expect(await csrfRefusal(post('/unsubscribe?token=t', oneClick))).toBeNull();
    expect(await csrfRefusal(post('/unsubscribe/x', oneClick))).toMatch(/another site/);
    expect(await csrfRefusal(post('/unsubscribe.data', oneClick))).toMatch(/another site/);
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

describe('registered LTI platforms', () => {
  const LMS = 'https://lms.example.edu';
  const sources = { platformOrigins: async () => [LMS] };

  it('are accepted for posts to /lti/login and /lti/launch, with or without an embedded session', async () => {
    const Cookie = await signedInCookie();
    for (const path of ['/lti/login', '/lti/launch']) {
      const headers = { ...form, Origin: LMS };
      expect(await csrfRefusal(post(path, { headers, body: 'id_token=x&state=y' }), sources)).toBeNull();
      expect(
        await csrfRefusal(post(path, { headers: { ...headers, Cookie }, body: 'id_token=x&state=y' }), sources),
      ).toBeNull();
      // A browser that sends only a Referer (no Origin) is judged by it the same way.
      expect(
        await csrfRefusal(
          post(path, { headers: { ...form, Cookie, Referer: `${LMS}/courses/1` }, body: 'a=1' }),
          sources,
        ),
      ).toBeNull();
    }
  });

  it('are refused everywhere else, as before', async () => {
    const Cookie = await signedInCookie();
    for (const path of [
      '/dashboard',
      '/logout',
      '/lti/deep-link',
      '/lti/launch.data',
      '/lti/launch/x',
      '/api/courses',
    ]) {
      expect(
        await csrfRefusal(post(path, { headers: { ...json, Cookie, Origin: LMS }, body: '{}' }), sources),
        path,
      ).toMatch(/another site/);
    }
    // Before sign-in too: the LMS page cannot sign someone up or in to an account it chose.
    expect(await csrfRefusal(post('/login', { headers: { ...form, Origin: LMS }, body: 'a=1' }), sources)).toMatch(
      /another site/,
    );
  });

  it('vouch only for themselves: another origin posting to the launch is refused', async () => {
    expect(
      await csrfRefusal(
        post('/lti/launch', { headers: { ...form, Origin: 'https://evil.example' }, body: 'id_token=x' }),
        sources,
      ),
    ).toMatch(/another site/);
    // Unregistered (no platforms at all): the launch is refused like any foreign post.
    expect(await csrfRefusal(post('/lti/launch', { headers: { ...form, Origin: LMS }, body: 'id_token=x' }))).toMatch(
      /another site/,
    );
  });

  it('a data store that cannot list them refuses the launch with a 403 reason, never throws', async () => {
    const failing = { platformOrigins: () => Promise.reject(new Error('database down')) };
    expect(
      await csrfRefusal(post('/lti/launch', { headers: { ...form, Origin: LMS }, body: 'id_token=x' }), failing),
    ).toMatch(/another site/);
  });
});
