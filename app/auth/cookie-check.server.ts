/**
 * Finding out, before the LMS is asked for an id_token, whether this browser keeps
 * ClassCast's cookies inside the LMS's frame. Safari (and Chromium with third-party cookies
 * refused) drops every cookie there, Partitioned or not; the launch would then fail at its
 * state check with nothing the person can do. So /lti/login sets its state cookie and sends
 * the browser here first: the cookie came back → on to the LMS's auth URL; it did not → a
 * page explaining the blocked cookie, with a link that starts the same launch in a new,
 * top-level tab, where the cookie is first-party and kept.
 *
 * Where to go next and what to relaunch travel signed (an open redirect otherwise), for ten
 * minutes (the launch state's own lifetime).
 */
import { SignJWT, jwtVerify } from 'jose';
import { config } from '~/config.server';

export const COOKIE_CHECK_PATH = '/lti/cookie-check';
const AUDIENCE = 'classcast:lti-cookie-check';
const TTL_SECONDS = 10 * 60;

export interface CookieCheck {
  /** The cookie that must come back (the launch's state cookie). */
  cookie: string;
  /** Where the browser goes when it did: the platform's OIDC authentication request. */
  next: string;
  /** A same-origin GET that starts the launch again (/lti/login with the LMS's parameters). */
  relaunch: string;
}

function key(): Uint8Array {
  const secret = config().SESSION_SECRET.split(',')[0]?.trim() ?? '';
  return new TextEncoder().encode(`lti-cookie-check:${secret}`);
}

/** The URL /lti/login redirects to (with its Set-Cookie) instead of the auth URL itself. */
export async function cookieCheckUrl(check: CookieCheck, now: Date): Promise<string> {
  if (!check.relaunch.startsWith('/') || check.relaunch.startsWith('//')) {
    throw new Error('The relaunch must be a path on ClassCast.');
  }
  const token = await new SignJWT({ c: check.cookie, n: check.next, r: check.relaunch })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(now.getTime() / 1000) + TTL_SECONDS)
    .sign(key());
  return `${COOKIE_CHECK_PATH}?${new URLSearchParams({ t: token })}`;
}

export type CookieCheckOutcome =
  { kind: 'continue'; location: string } | { kind: 'blocked'; relaunch: string } | { kind: 'invalid' };

function hasCookie(request: Request, name: string): boolean {
  return (request.headers.get('Cookie') ?? '').split(';').some((part) => part.trim().split('=')[0] === name);
}

export async function checkCookie(request: Request, now: Date): Promise<CookieCheckOutcome> {
  const token = new URL(request.url).searchParams.get('t') ?? '';
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(), { audience: AUDIENCE, algorithms: ['HS256'], currentDate: now }));
  } catch {
    return { kind: 'invalid' };
  }
  const { c: cookie, n: next, r: relaunch } = payload;
  if (typeof cookie !== 'string' || typeof next !== 'string' || typeof relaunch !== 'string')
    return { kind: 'invalid' };
  return hasCookie(request, cookie) ? { kind: 'continue', location: next } : { kind: 'blocked', relaunch };
}
