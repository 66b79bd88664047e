/**
 * Carrying an LTI session out of the LMS's frame: the token opens one new first-party session
 * of the same person, once, for a few minutes, and only while the frame's session is live.
 */
import { describe, expect, it } from 'vitest';
import { builders, setupServiceContext } from '../../tests/service-context';
import { requireActor } from './current-user.server';
import {
  HANDOFF_PARAM,
  LAUNCH_HANDOFF_TTL_MS,
  handoffTokenFor,
  redeemSessionHandoff,
  withSessionHandoff,
} from './session-handoff.server';
import {
  SESSION_COOKIE_NAME,
  createUserSessionCookie,
  destroySessionCookie,
  getSessionUserId,
  isEmbeddedSession,
} from './session.server';

const world = setupServiceContext();
const make = builders(world);

const sent = (setCookie: string) => setCookie.split(';')[0] ?? '';
const page = (cookie: string, path = '/dashboard') =>
  new Request(`http://127.0.0.1:3000${path}`, { headers: { Cookie: cookie } });

async function embeddedSession() {
  const user = await make.aUser('student');
  const setCookie = await createUserSessionCookie(world.ctx, user.id, { embedded: true });
  return { user, setCookie, cookie: sent(setCookie) };
}

describe('session handoff', () => {
  it('opens a first-party (page) session of the same person, once', async () => {
    const { user, cookie } = await embeddedSession();
    const token = await handoffTokenFor(page(cookie), world.ctx.now());
    expect(token).toBeTruthy();
    const first = await redeemSessionHandoff(world.ctx, token ?? '');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.userId).toBe(user.id);
    expect(first.setCookie.startsWith(`${SESSION_COOKIE_NAME}=`)).toBe(true);
    expect(first.setCookie).toMatch(/SameSite=Lax/);
    expect(await getSessionUserId(page(sent(first.setCookie)), world.ctx)).toBe(user.id);
    expect(await isEmbeddedSession(page(sent(first.setCookie)))).toBe(false);
    // The same link again (a copy in the history, a second click) opens nothing.
    expect(await redeemSessionHandoff(world.ctx, token ?? '')).toEqual({ ok: false, reason: 'used' });
  });

  it('refuses expired, forged and altered tokens', async () => {
    const { cookie } = await embeddedSession();
    const token = (await withSessionHandoff('/courses/x', `${cookie}; Path=/`, world.ctx.now())).split(
      `${HANDOFF_PARAM}=`,
    )[1];
    world.clock.advance(LAUNCH_HANDOFF_TTL_MS + 1000);
    try {
      expect(await redeemSessionHandoff(world.ctx, token ?? '')).toEqual({ ok: false, reason: 'expired' });
    } finally {
      world.clock.reset();
    }
    const good = (await handoffTokenFor(page(cookie), world.ctx.now())) ?? '';
    const [head, body, sig] = good.split('.');
    const otherBody = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), sub: 'someone-else' }),
    ).toString('base64url');
    expect(await redeemSessionHandoff(world.ctx, `${head}.${otherBody}.${sig}`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await redeemSessionHandoff(world.ctx, 'not-a-token')).toEqual({ ok: false, reason: 'invalid' });
    expect(await redeemSessionHandoff(world.ctx, '')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('dies with the frame session: after its logout the token opens nothing', async () => {
    const { cookie } = await embeddedSession();
    const token = (await handoffTokenFor(page(cookie), world.ctx.now())) ?? '';
    await destroySessionCookie(page(cookie), world.ctx);
    expect(await redeemSessionHandoff(world.ctx, token)).toEqual({ ok: false, reason: 'ended' });
  });

  it('gives no token without a signed-in cookie', async () => {
    expect(await handoffTokenFor(page(''), world.ctx.now())).toBeNull();
    expect(await withSessionHandoff('/dashboard', '', world.ctx.now())).toBe('/dashboard');
  });

  it('a landing page reached without the launch cookie explains the blocked cookie instead of a login form', async () => {
    const { setCookie } = await embeddedSession();
    const landing = await withSessionHandoff('/courses/abc?tab=work', setCookie, world.ctx.now());
    expect(landing).toMatch(new RegExp(`^/courses/abc\\?tab=work&${HANDOFF_PARAM}=`));
    // The browser kept the cookie: the token is simply not needed.
    const withCookie = await requireActor(page(sent(setCookie), landing), world.ctx);
    expect(withCookie.id).toBeTruthy();
    // It did not: off to the explanation, with the token and the clean destination.
    const thrown = await requireActor(page('', landing), world.ctx).catch((response: unknown) => response);
    expect(thrown).toBeInstanceOf(Response);
    const location = new URL((thrown as Response).headers.get('Location') ?? '', 'http://127.0.0.1:3000');
    expect(location.pathname).toBe('/lti/cookie-blocked');
    expect(location.searchParams.get('to')).toBe('/courses/abc?tab=work');
    expect(location.searchParams.get(HANDOFF_PARAM)).toBe(new URL(landing, 'http://x').searchParams.get(HANDOFF_PARAM));
    // Any other signed-out page visit still goes to the login page.
    const plain = await requireActor(page('', '/courses/abc'), world.ctx).catch((response: unknown) => response);
    expect((plain as Response).headers.get('Location')).toMatch(/^\/login\?/);
  });
});
