/**
 * One HTTP request asks who is signed in from several loaders (root + route): with the
 * request's memo the session and user are read once; POSTs and contexts without a memo
 * always ask the database, so a write in an action is seen by the loaders after it.
 */
import { describe, expect, it } from 'vitest';
import type { Repositories, User } from '~/data/repository';
import { builders, setupServiceContext } from '../../tests/service-context';
import { getActor, getCurrentSessionId, type IdentityContext } from './current-user.server';
import { createUserSessionCookie } from './session.server';
import { signAccessToken } from './tokens.server';

const world = setupServiceContext();
const make = builders(world);

/** The world's repositories, counting user and session reads. */
function countingContext(memo?: IdentityContext['actorMemo']) {
  const reads = { users: 0, sessions: 0 };
  const { users, authSessions } = world.ctx.repos;
  const repos = {
    users: { ...users, getById: (id: string) => (reads.users++, users.getById(id)) },
    authSessions: { ...authSessions, get: (id: string) => (reads.sessions++, authSessions.get(id)) },
  } as unknown as Pick<Repositories, 'users' | 'authSessions'>;
  return { ctx: { repos, now: world.ctx.now, actorMemo: memo }, reads };
}

async function cookieFor(user: User): Promise<string> {
  return (await createUserSessionCookie(world.ctx, user.id)).split(';')[0] ?? '';
}

const page = (cookie: string, method = 'GET') =>
  new Request('http://127.0.0.1:3000/dashboard', { method, headers: { Cookie: cookie } });

describe('getActor', () => {
  it('reads the session and user once per request for the loaders of one page', async () => {
    const student = await make.aUser('student');
    const cookie = await cookieFor(student);
    const { ctx, reads } = countingContext(new Map());
    const [a, b] = await Promise.all([getActor(page(cookie), ctx), getActor(page(cookie), ctx)]);
    expect(a?.id).toBe(student.id);
    expect(b?.id).toBe(student.id);
    expect(reads).toEqual({ users: 1, sessions: 1 });
  });

  it('keeps different credentials apart within one memo', async () => {
    const [one, two] = [await make.aUser('student'), await make.aUser('student')];
    const { ctx } = countingContext(new Map());
    const first = await getActor(page(await cookieFor(one)), ctx);
    const second = await getActor(page(await cookieFor(two)), ctx);
    expect([first?.id, second?.id]).toEqual([one.id, two.id]);
    expect(await getActor(page(''), ctx)).toBeNull();
  });

  it('asks again in a POST and without a memo (a process-wide context)', async () => {
    const student = await make.aUser('student');
    const cookie = await cookieFor(student);
    const posted = countingContext(new Map());
    await getActor(page(cookie, 'POST'), posted.ctx);
    await getActor(page(cookie, 'POST'), posted.ctx);
    expect(posted.reads.users).toBe(2);
    const shared = countingContext();
    await getActor(page(cookie), shared.ctx);
    await getActor(page(cookie), shared.ctx);
    expect(shared.reads.users).toBe(2);
  });

  it('shares a Bearer caller on every method: the token names one user for the whole request', async () => {
    const student = await make.aUser('student');
    const token = await signAccessToken({ userId: student.id, role: student.role });
    const memo = new Map<string, Promise<User | null>>();
    const { ctx, reads } = countingContext(memo);
    const post = () =>
      new Request('http://127.0.0.1:3000/api/videos', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await getActor(post(), ctx))?.id).toBe(student.id);
    expect((await getActor(post(), ctx))?.id).toBe(student.id);
    expect(reads.users).toBe(1);
    expect(memo.size).toBe(1);
  });

  it('refuses a Bearer token once the session it was issued under is signed out', async () => {
    const student = await make.aUser('student');
    const session = await world.ctx.repos.authSessions.create({
      userId: student.id,
      expiresAt: new Date(world.ctx.now().getTime() + 3_600_000).toISOString(),
    });
    const accessToken = await signAccessToken({ userId: student.id, role: student.role, sessionId: session.id });
    const api = () =>
      new Request('http://127.0.0.1:3000/api/auth/me', { headers: { Authorization: `Bearer ${accessToken}` } });
    expect((await getActor(api(), world.ctx))?.id).toBe(student.id);
    const sessionId = await getCurrentSessionId(api());
    expect(sessionId).toBe(session.id);
    await world.ctx.repos.authSessions.revoke(sessionId!);
    await expect(getActor(api(), world.ctx)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('names the cookie session, the token session, or none as the current one', async () => {
    const student = await make.aUser('student');
    const cookie = await cookieFor(student);
    expect(await getCurrentSessionId(page(cookie))).toBeTruthy();
    expect(await getCurrentSessionId(page(''))).toBeNull();
    const bad = new Request('http://127.0.0.1:3000/api/auth/me', { headers: { Authorization: 'Bearer nonsense' } });
    expect(await getCurrentSessionId(bad)).toBeNull();
  });
});
