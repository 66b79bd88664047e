import { describe, expect, it } from 'vitest';
import { COOKIE_CHECK_PATH, checkCookie, cookieCheckUrl } from './cookie-check.server';

const APP = 'http://127.0.0.1:3000';
const NOW = new Date('2026-12-02T07:00:00Z');
const check = {
  cookie: 'lti_state_abcdefghijklmnop',
  next: 'https://sso.example.edu/auth?state=abcdefghijklmnop&nonce=n',
  relaunch: '/lti/login?iss=https%3A%2F%2Flms.example.edu&login_hint=42&target_link_uri=x',
};
const visit = (path: string, cookie?: string) =>
  new Request(`${APP}${path}`, { headers: cookie ? { Cookie: cookie } : {} });

describe('the LTI login cookie check', () => {
  it('goes on to the LMS when the state cookie came back', async () => {
    const url = await cookieCheckUrl(check, NOW);
    expect(url.startsWith(`${COOKIE_CHECK_PATH}?t=`)).toBe(true);
    expect(await checkCookie(visit(url, `other=1; ${check.cookie}=1`), NOW)).toEqual({
      kind: 'continue',
      location: check.next,
    });
  });

  it('offers the top-level relaunch when the browser dropped it', async () => {
    const url = await cookieCheckUrl(check, NOW);
    expect(await checkCookie(visit(url), NOW)).toEqual({ kind: 'blocked', relaunch: check.relaunch });
    // A cookie whose name merely starts the same way is not the one.
    expect(await checkCookie(visit(url, `${check.cookie}x=1`), NOW)).toEqual({
      kind: 'blocked',
      relaunch: check.relaunch,
    });
  });

  it('is no open redirect: an altered, foreign or stale link goes nowhere', async () => {
    const url = await cookieCheckUrl(check, NOW);
    const token = new URL(url, APP).searchParams.get('t') ?? '';
    const [head, body, sig] = token.split('.');
    const evil = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), n: 'https://evil.example' }),
    ).toString('base64url');
    expect(await checkCookie(visit(`${COOKIE_CHECK_PATH}?t=${head}.${evil}.${sig}`, `${check.cookie}=1`), NOW)).toEqual(
      {
        kind: 'invalid',
      },
    );
    expect(await checkCookie(visit(`${COOKIE_CHECK_PATH}?t=nonsense`), NOW)).toEqual({ kind: 'invalid' });
    expect(await checkCookie(visit(COOKIE_CHECK_PATH), NOW)).toEqual({ kind: 'invalid' });
    const later = new Date(NOW.getTime() + 11 * 60 * 1000);
    expect(await checkCookie(visit(url, `${check.cookie}=1`), later)).toEqual({ kind: 'invalid' });
  });

  it('relaunches only on ClassCast', async () => {
    await expect(cookieCheckUrl({ ...check, relaunch: 'https://evil.example/x' }, NOW)).rejects.toThrow();
    await expect(cookieCheckUrl({ ...check, relaunch: '//evil.example/x' }, NOW)).rejects.toThrow();
  });
});
