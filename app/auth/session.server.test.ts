/**
 * Page sessions and LTI (embedded) sessions: two cookies, one reader. Whatever cookie a
 * request carries, the user, the CSRF binding, toasts and logout go through the same code.
 */
import { describe, expect, it } from 'vitest';
import { csrfTokenForRequest } from '~/utils/csrf.server';
import { builders, setupServiceContext } from '../../tests/service-context';
import {
  EMBEDDED_SESSION_COOKIE_NAME,
  SESSION_COOKIE_NAME,
  createUserSessionCookie,
  destroySessionCookie,
  flashToast,
  getCookieSessionId,
  getSessionUserId,
  isEmbeddedSession,
  readToast,
} from './session.server';

const world = setupServiceContext();
const make = builders(world);

/** The `name=value` part of a Set-Cookie header, as the browser would send it back. */
const sent = (setCookie: string) => setCookie.split(';')[0] ?? '';
const page = (cookie: string) => new Request('http://127.0.0.1:3000/dashboard', { headers: { Cookie: cookie } });

describe('embedded (LTI) sessions', () => {
  it('set a SameSite=None; Secure; Partitioned cookie of their own name', async () => {
    const user = await make.aUser('student');
    const embedded = await createUserSessionCookie(world.ctx, user.id, { embedded: true });
    expect(embedded.startsWith(`${EMBEDDED_SESSION_COOKIE_NAME}=`)).toBe(true);
    expect(embedded).toMatch(/; HttpOnly/);
    expect(embedded).toMatch(/; SameSite=None/);
    expect(embedded).toMatch(/; Secure/);
    expect(embedded).toMatch(/; Partitioned/);
    const plain = await createUserSessionCookie(world.ctx, user.id);
    expect(plain.startsWith(`${SESSION_COOKIE_NAME}=`)).toBe(true);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).not.toMatch(/Partitioned/);
  });

  it('are read by the one session reader and say they are embedded', async () => {
    const user = await make.aUser('student');
    const cookie = sent(await createUserSessionCookie(world.ctx, user.id, { embedded: true }));
    expect(await getSessionUserId(page(cookie), world.ctx)).toBe(user.id);
    expect(await isEmbeddedSession(page(cookie))).toBe(true);
    const plain = sent(await createUserSessionCookie(world.ctx, user.id));
    expect(await isEmbeddedSession(page(plain))).toBe(false);
    expect(await isEmbeddedSession(page(''))).toBe(false);
  });

  it('win over a page cookie sent beside them (the launch says who is in the frame)', async () => {
    const [teacher, student] = [await make.aUser('instructor'), await make.aUser('student')];
    const top = sent(await createUserSessionCookie(world.ctx, teacher.id));
    const frame = sent(await createUserSessionCookie(world.ctx, student.id, { embedded: true }));
    expect(await getSessionUserId(page(`${top}; ${frame}`), world.ctx)).toBe(student.id);
    expect(await getSessionUserId(page(top), world.ctx)).toBe(teacher.id);
  });

  it('bind the CSRF form token to their own session id', async () => {
    const user = await make.aUser('student');
    const frame = sent(await createUserSessionCookie(world.ctx, user.id, { embedded: true }));
    const top = sent(await createUserSessionCookie(world.ctx, user.id));
    const frameId = await getCookieSessionId(page(frame));
    expect(frameId).toBeTruthy();
    expect(frameId).not.toBe(await getCookieSessionId(page(top)));
    expect(await csrfTokenForRequest(page(frame))).not.toBe(await csrfTokenForRequest(page(top)));
    expect(await csrfTokenForRequest(page(frame))).not.toBe('');
  });

  it('keep toasts in their own cookie (a Lax cookie set inside the frame would be dropped)', async () => {
    const user = await make.aUser('student');
    const frame = sent(await createUserSessionCookie(world.ctx, user.id, { embedded: true }));
    const flashed = await flashToast(page(frame), 'Saved.');
    expect(flashed.startsWith(`${EMBEDDED_SESSION_COOKIE_NAME}=`)).toBe(true);
    expect(flashed).toMatch(/Partitioned/);
    const { toast, cookie } = await readToast(page(sent(flashed)));
    expect(toast).toBe('Saved.');
    expect(await getSessionUserId(page(sent(cookie ?? '')), world.ctx)).toBe(user.id);
  });

  it('end at logout, server-side, together with a page session sent beside them', async () => {
    const user = await make.aUser('student');
    const top = sent(await createUserSessionCookie(world.ctx, user.id));
    const frame = sent(await createUserSessionCookie(world.ctx, user.id, { embedded: true }));
    const both = `${top}; ${frame}`;
    const headers = await destroySessionCookie(page(both), world.ctx);
    const cleared = headers.getSetCookie();
    expect(cleared.map((c) => c.split('=')[0]).sort()).toEqual(
      [EMBEDDED_SESSION_COOKIE_NAME, SESSION_COOKIE_NAME].sort(),
    );
    expect(cleared.every((c) => /Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
    // A copy of either cookie kept by an attacker no longer signs anyone in.
    expect(await getSessionUserId(page(frame), world.ctx)).toBeNull();
    expect(await getSessionUserId(page(top), world.ctx)).toBeNull();
  });

  it('a page logout clears only the page cookie when no embedded one was sent', async () => {
    const user = await make.aUser('student');
    const top = sent(await createUserSessionCookie(world.ctx, user.id));
    const headers = await destroySessionCookie(page(top), world.ctx);
    expect(headers.getSetCookie().map((c) => c.split('=')[0])).toEqual([SESSION_COOKIE_NAME]);
    expect(await getSessionUserId(page(top), world.ctx)).toBeNull();
  });

  it('expire server-side sooner than page sessions', async () => {
    const user = await make.aUser('student');
    const frame = sent(await createUserSessionCookie(world.ctx, user.id, { embedded: true }));
    world.clock.advance(13 * 60 * 60 * 1000);
    try {
      expect(await getSessionUserId(page(frame), world.ctx)).toBeNull();
    } finally {
      world.clock.reset();
    }
  });
});
