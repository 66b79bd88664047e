import { createCookieSessionStorage, redirect } from '@remix-run/node';
import { config } from '~/config.server';

/**
 * Cookie sessions for pages. The cookie holds only the user id and is signed; secrets
 * rotate by putting the new one first in SESSION_SECRET ("new,old": old cookies still
 * verify, new ones are signed with the first).
 */
const SESSION_MAX_AGE = 60 * 60 * 24 * 14;

type SessionData = { userId: string };
type SessionFlash = { toast: string };

let storage: ReturnType<typeof createCookieSessionStorage<SessionData, SessionFlash>> | undefined;

function sessionStorage() {
  if (!storage) {
    const cfg = config();
    storage = createCookieSessionStorage<SessionData, SessionFlash>({
      cookie: {
        name: '__classcast_session',
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

export async function getSessionUserId(request: Request): Promise<string | null> {
  const session = await getSession(request);
  const userId = session.get('userId');
  return typeof userId === 'string' ? userId : null;
}

/** A fresh session (never reuse a pre-login one: no session fixation). */
export async function createUserSessionCookie(userId: string): Promise<string> {
  const session = await sessionStorage().getSession();
  session.set('userId', userId);
  return sessionStorage().commitSession(session);
}

export async function destroySessionCookie(request: Request): Promise<string> {
  return sessionStorage().destroySession(await getSession(request));
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

export function safeRedirectTo(to: FormDataEntryValue | string | null | undefined, fallback = '/dashboard'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}

export async function redirectWithSession(userId: string, to: string) {
  return redirect(to, { headers: { 'Set-Cookie': await createUserSessionCookie(userId) } });
}
