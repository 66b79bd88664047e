/**
 * Carrying an embedded (LTI) session out of the LMS's iframe, where its cookie cannot follow:
 * a new top-level tab sees a different cookie jar (the embedded cookie is partitioned under
 * the LMS's site), and Safari, or Chromium with third-party cookies refused, keeps no cookie
 * in the frame at all. A short-lived, signed, single-use token names the live session; the
 * top-level page it opens (/lti/session) exchanges it for a fresh first-party session of
 * the same person. Single use is the LTI nonce store (`useNonce`): exact under concurrency,
 * and gone with its expiry.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { config } from '~/config.server';
import type { Repositories } from '~/data/repository';
import { createUserSessionCookie, getSession } from './session.server';

/** The query parameter a launch's landing URL carries (cookie check) and /lti/session reads. */
export const HANDOFF_PARAM = 'lti_session';
/** The landing check follows the launch at once. */
export const LAUNCH_HANDOFF_TTL_MS = 2 * 60 * 1000;
/** The compact bar's "Open in a new tab" link may be clicked a while after the page loaded. */
export const NEW_TAB_HANDOFF_TTL_MS = 10 * 60 * 1000;

const AUDIENCE = 'classcast:session-handoff';
/** The nonce store's "issuer" for handoff ids: no LMS issuer is a bare word without a scheme. */
const NONCE_ISSUER = 'classcast:session-handoff';

type HandoffContext = { repos: Pick<Repositories, 'authSessions' | 'lti'>; now: () => Date };

function key(): Uint8Array {
  const secret = config().SESSION_SECRET.split(',')[0]?.trim() ?? '';
  return new TextEncoder().encode(`session-handoff:${secret}`);
}

async function sign(session: { userId: string; sessionId: string }, now: Date, ttlMs: number): Promise<string> {
  return new SignJWT({ sid: session.sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(session.userId)
    .setAudience(AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor((now.getTime() + ttlMs) / 1000))
    .sign(key());
}

/** A handoff token for the session the request acts under; null when it carries none. */
export async function handoffTokenFor(request: Request, now: Date, ttlMs = NEW_TAB_HANDOFF_TTL_MS) {
  const session = await getSession(request);
  const userId = session.get('userId');
  const sessionId = session.get('sessionId');
  if (typeof userId !== 'string' || typeof sessionId !== 'string') return null;
  return sign({ userId, sessionId }, now, ttlMs);
}

/**
 * Where a launch sends the browser after setting the embedded cookie it just made: `to`
 * with a 2-minute handoff token. If the cookie arrives with the next request the token is
 * dropped unused (requireActor); if it does not, the browser refused it, and the token lets
 * the person continue in a new tab.
 */
export async function withSessionHandoff(to: string, setCookie: string, now: Date): Promise<string> {
  const cookie = setCookie.split(';')[0] ?? '';
  const token = await handoffTokenFor(
    new Request('http://classcast.invalid/', { headers: { Cookie: cookie } }),
    now,
    LAUNCH_HANDOFF_TTL_MS,
  );
  if (!token) return to;
  const url = new URL(to, 'http://classcast.invalid');
  url.searchParams.set(HANDOFF_PARAM, token);
  return `${url.pathname}${url.search}${url.hash}`;
}

export type HandoffOutcome =
  { ok: true; setCookie: string; userId: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'ended' };

/**
 * Exchanges a token for a new first-party session cookie of the same person. Refused when
 * the signature or audience is wrong, when it expired, when it was used before, or when the
 * session it names has ended (a logout inside the frame also ends its tokens).
 */
export async function redeemSessionHandoff(ctx: HandoffContext, token: string): Promise<HandoffOutcome> {
  let claims: { sub?: string; sid?: unknown; jti?: string; exp?: number };
  try {
    ({ payload: claims } = await jwtVerify(token, key(), {
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: ctx.now(),
    }));
  } catch (error) {
    return { ok: false, reason: (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
  const { sub: userId, sid: sessionId, jti, exp } = claims;
  if (typeof userId !== 'string' || typeof sessionId !== 'string' || !jti || !exp)
    return { ok: false, reason: 'invalid' };
  const record = await ctx.repos.authSessions.get(sessionId);
  if (!record || record.revoked || record.userId !== userId || new Date(record.expiresAt) <= ctx.now()) {
    return { ok: false, reason: 'ended' };
  }
  const first = await ctx.repos.lti.useNonce(NONCE_ISSUER, jti, new Date(exp * 1000).toISOString());
  if (!first) return { ok: false, reason: 'used' };
  return { ok: true, userId, setCookie: await createUserSessionCookie(ctx, userId) };
}
