import { createCookieSessionStorage, redirect } from '@remix-run/node';
import { config } from '~/config.server';
import type { AuthSession, Repositories } from '~/data/repository';
import type { RealtimeBus } from '~/realtime/bus';

/**
 * Cookie sessions for pages. The signed cookie names a server-side session record (the
 * same auth-session rows refresh tokens use), so logging out ends the session on the
 * server: a copied or stolen cookie stops working at once. Secrets rotate by putting the
 * new one first in SESSION_SECRET ("new,old": old cookies still verify).
 *
 * A session begun by an LTI launch lives inside the LMS's iframe, a third-party context
 * where a SameSite=Lax cookie is neither stored nor sent. It gets its own cookie,
 * `SameSite=None; Secure; Partitioned` (CHIPS: the browser keeps it in a jar keyed by the
 * LMS's site, so it is no cross-site tracking cookie and Chromium stores it even with
 * third-party cookies phased out). Two names rather than one: where both jars apply (an
 * LMS on the same site as ClassCast, the tests on 127.0.0.1) the browser would send two
 * cookies of one name and which one counts would be luck. Every reader below goes through
 * `activeSession`, so logout, revocation and the CSRF token work the same for both.
 */
export const SESSION_COOKIE_NAME = '__classcast_session';
export const EMBEDDED_SESSION_COOKIE_NAME = '__classcast_lti_session';
const SESSION_MAX_AGE = 60 * 60 * 24 * 14;
const LAST_SEEN_EVERY_MS = 60_000;
/** An LMS launches ClassCast afresh each time a page is opened: a working day is plenty. */
const EMBEDDED_SESSION_MAX_AGE = 60 * 60 * 12;

/**
 * `signedInWith: 'cognito'` marks sessions whose logout must end Cognito's session too;
 * `embedded: true` those begun by an LTI launch (the compact layout, the LMS's cookie rules).
 */
type SessionData = { userId: string; sessionId: string; signedInWith?: 'cognito'; embedded?: true };
type SessionFlash = { toast: string };
type SessionRepos = { repos: Pick<Repositories, 'authSessions'>; now: () => Date };
type Storage = ReturnType<typeof createCookieSessionStorage<SessionData, SessionFlash>>;

let storages: { page: Storage; embedded: Storage } | undefined;

function sessionStorages() {
  if (!storages) {
    const cfg = config();
    const secrets = cfg.SESSION_SECRET.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    storages = {
      page: createCookieSessionStorage<SessionData, SessionFlash>({
        cookie: {
          name: SESSION_COOKIE_NAME,
          httpOnly: true,
          sameSite: 'lax',
          secure: cfg.isProduction && cfg.appUrl.startsWith('https://'),
          path: '/',
          maxAge: SESSION_MAX_AGE,
          secrets,
        },
      }),
      // SameSite=None and Partitioned both require Secure. Browsers accept Secure cookies
      // from http://localhost and 127.0.0.1 too (potentially trustworthy origins), so
      // development and the e2e tests get the same cookie as production; an LMS on plain
      // http elsewhere cannot embed ClassCast (LTI 1.3 requires TLS anyway).
      embedded: createCookieSessionStorage<SessionData, SessionFlash>({
        cookie: {
          name: EMBEDDED_SESSION_COOKIE_NAME,
          httpOnly: true,
          sameSite: 'none',
          secure: true,
          partitioned: true,
          path: '/',
          maxAge: EMBEDDED_SESSION_MAX_AGE,
          secrets,
        },
      }),
    };
  }
  return storages;
}

function hasEmbeddedCookie(header: string | null): boolean {
  return header?.includes(`${EMBEDDED_SESSION_COOKIE_NAME}=`) ?? false;
}

/**
 * The session a request acts under, and the storage that writes it back. An embedded
 * cookie that carries a sign-in wins: it was set by the launch the LMS just made, which
 * says who is in this frame (only where both jars are sent, i.e. the same site, can the two
 * even meet).
 */
async function activeSession(request: Request) {
  const header = request.headers.get('Cookie');
  const { page, embedded } = sessionStorages();
  const embeddedSession = hasEmbeddedCookie(header) ? await embedded.getSession(header) : null;
  if (embeddedSession?.get('sessionId')) return { session: embeddedSession, storage: embedded };
  return { session: await page.getSession(header), storage: page };
}

export async function getSession(request: Request) {
  return (await activeSession(request)).session;
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
  await noteSessionSeen(ctx, record);
  return userId;
}

/**
 * "Last seen" for the settings' session list (cookie and Bearer sessions alike): one write a
 * minute per session at most, never one per request.
 */
export async function noteSessionSeen(ctx: SessionRepos, record: AuthSession): Promise<void> {
  const now = ctx.now();
  if (now.getTime() - Date.parse(record.lastSeenAt) >= LAST_SEEN_EVERY_MS) {
    await ctx.repos.authSessions.touch(record.id, now.toISOString());
  }
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

/**
 * A fresh session record and cookie (never reuse a pre-login one: no session fixation).
 * `embedded: true` (an LTI launch) gives the LMS-iframe cookie and marks the session.
 */
export async function createUserSessionCookie(
  ctx: SessionRepos,
  userId: string,
  { signedInWith, embedded, userAgent }: { signedInWith?: 'cognito'; embedded?: true; userAgent?: string | null } = {},
): Promise<string> {
  const maxAge = embedded ? EMBEDDED_SESSION_MAX_AGE : SESSION_MAX_AGE;
  const expiresAt = new Date(ctx.now().getTime() + maxAge * 1000).toISOString();
  const record = await ctx.repos.authSessions.create({
    userId,
    expiresAt,
    userAgent: userAgent?.slice(0, 200) ?? null,
  });
  const storage = embedded ? sessionStorages().embedded : sessionStorages().page;
  const session = await storage.getSession();
  session.set('userId', userId);
  session.set('sessionId', record.id);
  if (signedInWith) session.set('signedInWith', signedInWith);
  if (embedded) session.set('embedded', true);
  return storage.commitSession(session);
}

/** Whether the cookie's session began with a Cognito sign-in (its logout then visits Cognito's /logout). */
export async function signedInWithCognito(request: Request): Promise<boolean> {
  return (await getSession(request)).get('signedInWith') === 'cognito';
}

/** Whether the request acts under a session an LTI launch began (the page is inside the LMS). */
export async function isEmbeddedSession(request: Request): Promise<boolean> {
  return (await getSession(request)).get('embedded') === true;
}

/**
 * Ends the session on the server as well as in the browser, and tells every server process
 * to close the session's live streams (/events) at once. Both cookies go: signing out of
 * the frame must not leave the browser signed in as someone else (where both are sent).
 * The answer is the response's Set-Cookie headers.
 */
export async function destroySessionCookie(
  request: Request,
  ctx: SessionRepos & { bus: RealtimeBus },
): Promise<Headers> {
  const header = request.headers.get('Cookie');
  const headers = new Headers();
  const { page, embedded } = sessionStorages();
  for (const storage of hasEmbeddedCookie(header) ? [page, embedded] : [page]) {
    const session = await storage.getSession(header);
    await revoke(session.get('sessionId'), session.get('userId'), ctx);
    headers.append('Set-Cookie', await storage.destroySession(session));
  }
  return headers;
}

async function revoke(sessionId: unknown, userId: unknown, ctx: SessionRepos & { bus: RealtimeBus }) {
  if (typeof sessionId !== 'string' || !sessionId) return;
  const record = await ctx.repos.authSessions.get(sessionId);
  if (!record || record.userId !== userId) return;
  await ctx.repos.authSessions.revoke(record.id);
  // The revocation is what counts; streams also notice it at their next session check.
  await ctx.bus.publish({ type: 'session-ended', userId: record.userId, sessionId: record.id }).catch(() => undefined);
}

export async function flashToast(request: Request, message: string): Promise<string> {
  const { session, storage } = await activeSession(request);
  session.flash('toast', message);
  return storage.commitSession(session);
}

export async function readToast(request: Request): Promise<{ toast: string | null; cookie: string | null }> {
  const { session, storage } = await activeSession(request);
  const toast = session.get('toast') ?? null;
  return { toast, cookie: toast ? await storage.commitSession(session) : null };
}

export async function redirectWithSession(ctx: SessionRepos, userId: string, to: string) {
  return redirect(to, { headers: { 'Set-Cookie': await createUserSessionCookie(ctx, userId) } });
}
