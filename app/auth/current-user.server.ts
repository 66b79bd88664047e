import { redirect } from '@remix-run/node';
import { decodeProtectedHeader } from 'jose';
import { config } from '~/config.server';
import type { Repositories, User } from '~/data/repository';
import { AppError, unauthenticated } from '~/utils/errors';
import { roleFromGroups } from './cognito-identity';
import { verifyCognitoAccessToken } from './cognito-tokens.server';
import { HANDOFF_PARAM } from './session-handoff.server';
import { getCookieSessionId, getSessionUserId, noteSessionSeen } from './session.server';
import { verifyAccessToken } from './tokens.server';

/** What identifying a caller needs (any ServiceContext is one): users, live sessions, the clock. */
export interface IdentityContext {
  repos: Pick<Repositories, 'users' | 'authSessions'>;
  now: () => Date;
  /**
   * Set on the load context of ONE HTTP request (entry.server.tsx): the root loader and the
   * route loader of a page both ask who is signed in, and Remix hands each its own Request
   * copy, so the answer is kept here, keyed by the credentials, for that request only.
   */
  actorMemo?: Map<string, Promise<User | null>>;
}

/**
 * Who is asking: a Bearer access token (JSON API clients) or the session cookie (pages,
 * and the API when called from our own pages). A bad Bearer token is an error, never a
 * silent fall-back to the cookie.
 */
export function getActor(request: Request, ctx: IdentityContext): Promise<User | null> {
  // Reads share the answer. In a POST the action may change the cookie's user (or end the
  // session) before the loaders run, and they must see that; a Bearer token names the same
  // user for the whole request whatever it does, so it shares on every method (which is also
  // how the request's log lines learn who the caller is).
  const shared = request.method === 'GET' || request.method === 'HEAD' || request.headers.has('Authorization');
  const memo = shared ? ctx.actorMemo : undefined;
  if (!memo) return identify(request, ctx);
  const key = `${request.headers.get('Authorization') ?? ''}\n${request.headers.get('Cookie') ?? ''}`;
  let actor = memo.get(key);
  if (!actor) {
    actor = identify(request, ctx);
    memo.set(key, actor);
  }
  return actor;
}

async function identify(request: Request, ctx: IdentityContext): Promise<User | null> {
  const authorization = request.headers.get('Authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AppError('INVALID_TOKEN', 'The Authorization header must be "Bearer <token>".');
    return bearerUser(match[1], ctx);
  }
  const userId = await getSessionUserId(request, ctx);
  const user = userId ? await ctx.repos.users.getById(userId) : null;
  // A disabled account's open pages are signed out on their next request.
  return user && !user.disabledAt ? user : null;
}

function refuseDisabled(user: User): User {
  if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled. Contact your administrator.');
  return user;
}

/**
 * Our own access tokens are HS256; with Cognito on, an RS256 token is the user pool's access
 * token. A pool user is known by the Cognito sub their first web sign-in stored (an access
 * token carries no email, so it cannot apply the sign-in's email rules), and their role
 * follows the token's groups as it does at sign-in.
 */
async function bearerUser(token: string, ctx: IdentityContext): Promise<User> {
  const pool = config().cognito;
  if (pool && algorithmOf(token) === 'RS256') {
    const claims = await verifyCognitoAccessToken(token, pool);
    const user = await ctx.repos.users.getByCognitoSub(claims.sub);
    if (!user) {
      throw new AppError(
        'INVALID_TOKEN',
        'No ClassCast account is linked to this sign-in yet: sign in on the web once.',
      );
    }
    const role = roleFromGroups(claims.groups);
    refuseDisabled(user);
    return user.role === role ? user : ctx.repos.users.update(user.id, { role });
  }
  const claims = await verifyAccessToken(token);
  // The session row is read beside the user, so a token dies with its session (sign-out,
  // password reset, "sign out everywhere") instead of living out its 15 minutes.
  const [user, session] = await Promise.all([
    ctx.repos.users.getById(claims.userId),
    claims.sessionId ? ctx.repos.authSessions.get(claims.sessionId) : Promise.resolve(null),
  ]);
  if (!user) throw new AppError('INVALID_TOKEN', 'The token is invalid.');
  if (claims.sessionId) {
    const live = session && !session.revoked && session.userId === user.id && new Date(session.expiresAt) > ctx.now();
    if (!live)
      throw new AppError('INVALID_TOKEN', 'This sign-in has ended (signed out or password changed). Sign in again.');
    await noteSessionSeen(ctx, session);
  }
  return refuseDisabled(user);
}

/**
 * The auth session the request is made under: the cookie's, or the one a Bearer access token
 * was issued under ("keep this session" when signing out the others). Null for tokens that
 * name none (Cognito's) and for requests without a sign-in.
 */
export async function getCurrentSessionId(request: Request): Promise<string | null> {
  const authorization = request.headers.get('Authorization');
  if (!authorization) return getCookieSessionId(request);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return null;
  try {
    return (await verifyAccessToken(match[1])).sessionId ?? null;
  } catch {
    return null;
  }
}

function algorithmOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    throw new AppError('INVALID_TOKEN', 'The token is invalid.');
  }
}

/**
 * For pages that only want to know whether someone is signed in (header, landing page):
 * a rejected Bearer token means "not signed in"; any other failure (a database outage)
 * is a real error and reaches the error boundary instead of looking like a sign-out.
 */
export async function getSignedInUser(request: Request, ctx: IdentityContext): Promise<User | null> {
  try {
    return await getActor(request, ctx);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'INVALID_TOKEN' || error.code === 'ACCOUNT_DISABLED')) return null;
    throw error;
  }
}

function isApiRequest(request: Request): boolean {
  return new URL(request.url).pathname.startsWith('/api/');
}

/**
 * The one sign-in check for routes: API requests get a 401 JSON error, pages a redirect
 * to /login that comes back here afterwards.
 */
export async function requireActor(request: Request, ctx: IdentityContext): Promise<User> {
  if (isApiRequest(request)) {
    const actor = await getActor(request, ctx);
    if (actor) return actor;
    throw unauthenticated();
  }
  // A page asked with a rejected Bearer token is simply not signed in: off to the login page.
  const actor = await getSignedInUser(request, ctx);
  if (actor) return actor;
  const url = new URL(request.url);
  // An LTI launch's landing URL carries a handoff token: arriving here without the session
  // cookie the launch just set means the browser refused it inside the LMS's frame. The
  // person gets an explanation and a way on (a new tab), not a login form they cannot use.
  const handoff = url.searchParams.get(HANDOFF_PARAM);
  url.searchParams.delete(HANDOFF_PARAM);
  const redirectTo = `${url.pathname}${url.search}`;
  if (handoff)
    throw redirect(`/lti/cookie-blocked?${new URLSearchParams({ [HANDOFF_PARAM]: handoff, to: redirectTo })}`);
  throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
}
