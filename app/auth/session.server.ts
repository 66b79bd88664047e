import { createCookieSessionStorage, redirect } from '@remix-run/node';
import { config } from '~/config.server';
import type { Repositories } from '~/data/repository';
import type { RealtimeBus } from '~/realtime/bus';

/**
 * Cookie sessions for pages. The signed cookie names a server-side session record (the
 * same auth-session rows refresh tokens use), so logging out ends the session on the
 * server: a copied or stolen cookie stops working at once. Secrets rotate by putting the
 * new one first in SESSION_SECRET ("new,old": old cookies still verify).
 */
export const SESSION_COOKIE_NAME = '__classcast_session';
const SESSION_MAX_AGE = 60 * 60 * 24 * 14;

/** `signedInWith: 'cognito'` marks sessions whose logout must end Cognito's session too. */
type SessionData = { userId: string; sessionId: string; signedInWith?: 'cognito' };
type SessionFlash = { toast: string };
type SessionRepos = { repos: Pick<Repositories, 'authSessions'>; now: () => Date };

let storage: ReturnType<typeof createCookieSessionStorage<SessionData, SessionFlash>> | undefined;

function sessionStorage() {
  if (!storage) {
    const cfg = config();
    storage = createCookieSessionStorage<SessionData, SessionFlash>({
      cookie: {
        name: SESSION_COOKIE_NAME,
        httpOnly: true,
        sameSite: 'lax',
        secure: cfg.isProduction && cfg.appUrl.startsWith('https://'),
        path: '/',
        maxAge: SESSION_MAX_AGE,
        secrets: cfg.SESSION_SECRET.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      },
    });
  }
  return storage;
}

export async function getSession(request: Request) {
  return sessionStorage().getSession(request.headers.get('Cookie'));
}

/**
 * The id of the server-side session the cookie names, without asking the database: the
 * CSRF guard ties its form token to it. Null when the cookie carries no sign-in.
 */
export async function getCookieSessionId(request: Request): Promise<string | null> {
  const session = await getSession(request);
  const sessionId = session.get('sessionId');
  return typeof sessionId === 'string' && sessionId ? sessionId : null;
}

/** The signed-in user id, only while the server-side session is live (not revoked, not expired). */
export async function getSessionUserId(request: Request, ctx: SessionRepos): Promise<string | null> {
  const session = await getSession(request);
  const userId = session.get('userId');
  const sessionId = session.get('sessionId');
  if (typeof userId !== 'string' || typeof sessionId !== 'string') return null;
  const record = await ctx.repos.authSessions.get(sessionId);
  if (!record || record.revoked || record.userId !== userId) return null;
  if (new Date(record.expiresAt) <= ctx.now()) return null;
  return userId;
}

/** The live page session behind the cookie (user and session ids), for streams tied to it. */
export async function getLiveCookieSession(
  request: Request,
  ctx: SessionRepos,
): Promise<{ userId: string; sessionId: string } | null> {
  const userId = await getSessionUserId(request, ctx);
  const sessionId = await getCookieSessionId(request);
  return userId && sessionId ? { userId, sessionId } : null;
}

/** A fresh session record and cookie (never reuse a pre-login one: no session fixation). */
export async function createUserSessionCookie(
  ctx: SessionRepos,
  userId: string,
  { signedInWith }: { signedInWith?: 'cognito' } = {},
): Promise<string> {
  const expiresAt = new Date(ctx.now().getTime() + SESSION_MAX_AGE * 1000).toISOString();
  const record = await ctx.repos.authSessions.create({ userId, expiresAt });
  const session = await sessionStorage().getSession();
  session.set('userId', userId);
  session.set('sessionId', record.id);
  if (signedInWith) session.set('signedInWith', signedInWith);
  return sessionStorage().commitSession(session);
}

/** Whether the cookie's session began with a Cognito sign-in (its logout then visits Cognito's /logout). */
export async function signedInWithCognito(request: Request): Promise<boolean> {
  return (await getSession(request)).get('signedInWith') === 'cognito';
}

/**
 * Ends the session on the server as well as in the browser, and tells every server process
 * to close the session's live streams (/events) at once.
 */
export async function destroySessionCookie(
  request: Request,
  ctx: SessionRepos & { bus: RealtimeBus },
): Promise<string> {
  const session = await getSession(request);
  const sessionId = session.get('sessionId');
  const userId = session.get('userId');
  if (typeof sessionId === 'string' && sessionId) {
    const record = await ctx.repos.authSessions.get(sessionId);
    if (record && record.userId === userId) {
      await ctx.repos.authSessions.revoke(record.id);
      // The revocation is what counts; streams also notice it at their next session check.
      await ctx.bus
        .publish({ type: 'session-ended', userId: record.userId, sessionId: record.id })
        .catch(() => undefined);
    }
  }
  return sessionStorage().destroySession(session);
}

export async function flashToast(request: Request, message: string): Promise<string> {
  const session = await getSession(request);
  session.flash('toast', message);
  return sessionStorage().commitSession(session);
}

export async function readToast(request: Request): Promise<{ toast: string | null; cookie: string | null }> {
  const session = await getSession(request);
  const toast = session.get('toast') ?? null;
  return { toast, cookie: toast ? await sessionStorage().commitSession(session) : null };
}

export async function redirectWithSession(ctx: SessionRepos, userId: string, to: string) {
  return redirect(to, { headers: { 'Set-Cookie': await createUserSessionCookie(ctx, userId) } });
}
