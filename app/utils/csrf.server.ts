/**
 * The one CSRF defence (docs/decisions/010-csrf-and-revocable-sessions.md). It runs once,
 * in server.ts, in front of every Remix request: pages, `?_data=`, `.data`, resource
 * routes, /api and /logout alike, so no route can forget it and Remix's own origin check
 * (which `?_data=` requests skip in 2.17) is not relied on.
 *
 * A state-changing request that the session cookie would authenticate must show it comes
 * from one of our origins: its Origin header (or, when a browser sends none, its Referer),
 * or, for browsers that send neither, the signed form token every page form carries. /api
 * calls must also be JSON: a cross-site page can send a form or text/plain body without a
 * CORS preflight, never application/json. Bearer calls carry their own proof and pass.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getCookieSessionId } from '~/auth/session.server';
import { config } from '~/config.server';
import { CSRF_FIELD } from './csrf';

/** Scripts may send the form token in this header instead of the `_csrf` field. */
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The form token for one server-side session: useless with any other session cookie. */
export function csrfTokenFor(sessionId: string): string {
  const secret = config().SESSION_SECRET.split(',')[0]?.trim() ?? '';
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

/** The token for the page being rendered, or '' when nobody is signed in (nothing to protect). */
export async function csrfTokenForRequest(request: Request): Promise<string> {
  const sessionId = await getCookieSessionId(request);
  return sessionId ? csrfTokenFor(sessionId) : '';
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function originOf(value: string | null): string | null {
  if (!value || value === 'null') return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * Where an LMS posts from its own pages: the OIDC login initiation and the id_token launch.
 * A registered platform's origin is accepted here and nowhere else: an LMS page (or a
 * script injected into one) must not be able to drive ClassCast's other forms under the
 * user's embedded session. Exact paths: no `.data` or `?_data=` variant is a launch.
 */
/** The one path whose POST carries its own authority: a signed unsubscribe token. */
export const UNSUBSCRIBE_PATH = '/unsubscribe';

export const LTI_LAUNCH_PATHS: ReadonlySet<string> = new Set(['/lti/login', '/lti/launch']);

/** What the guard may ask beyond the request: the registered LTI platforms' origins. */
export interface CsrfSources {
  platformOrigins?: () => Promise<string[]>;
}

export async function allowedOrigins(request: Request, sources: CsrfSources = {}): Promise<Set<string>> {
  const cfg = config();
  // The request's own origin covers the listening address (127.0.0.1 vs localhost);
  // APP_URL covers a proxy in front of us; TRUSTED_ORIGINS an origin an operator vouches for.
  const allowed = new Set([new URL(request.url).origin, new URL(cfg.appUrl).origin, ...cfg.TRUSTED_ORIGINS]);
  if (sources.platformOrigins && LTI_LAUNCH_PATHS.has(new URL(request.url).pathname)) {
    // The data store being down fails the launch anyway; here it only means "not vouched for"
    // (a 403 page), never a 500 from the guard.
    const platforms = await sources.platformOrigins().catch(() => []);
    for (const origin of platforms) allowed.add(origin);
  }
  return allowed;
}

/**
 * No body and no declared type (an empty DELETE, a mark-as-read POST). The Node adapter hands
 * Remix a body stream even then, so the headers decide; any declared type — an empty form
 * included — counts as a body.
 */
function isBodyless(request: Request): boolean {
  if (request.headers.has('Content-Type') || request.headers.has('Transfer-Encoding')) return false;
  const length = request.headers.get('Content-Length');
  return length === null || Number(length) === 0;
}

function isJson(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

async function formToken(request: Request): Promise<string | null> {
  const header = request.headers.get(CSRF_HEADER);
  if (header) return header;
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return null;
  try {
    const value = (await request.clone().formData()).get(CSRF_FIELD);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Null when the request may go on; otherwise the reason it is refused (answered with 403).
 * Never writes anything and never throws on odd input.
 */
export async function csrfRefusal(request: Request, sources: CsrfSources = {}): Promise<string | null> {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  // One-click unsubscribe (RFC 8058): a mail client posts from anywhere, without a cookie;
  // the signed token in the URL is the authority (app/services/mail-preferences.server.ts).
  if (new URL(request.url).pathname === UNSUBSCRIBE_PATH) return null;
  // With an Authorization header the session cookie is never consulted (current-user.server.ts).
  if (request.headers.has('Authorization')) return null;

  const allowed = await allowedOrigins(request, sources);
  const rawOrigin = request.headers.get('Origin');
  const origin = originOf(rawOrigin);
  // A foreign page is refused even before sign-in: no one can be logged in to an account
  // of the attacker's choosing (login CSRF), nor signed up.
  if (origin && !allowed.has(origin)) return `This request came from another site (${origin}) and was refused.`;

  const sessionId = await getCookieSessionId(request);
  if (!sessionId) return null;

  const isApi = new URL(request.url).pathname.startsWith('/api/');
  if (isApi && !isBodyless(request) && !isJson(request.headers.get('Content-Type'))) {
    return 'Signed-in API requests must send a JSON body (Content-Type: application/json).';
  }
  if (origin) return null;

  const referer = request.headers.get('Referer');
  const refererOrigin = originOf(referer);
  if (refererOrigin) {
    return allowed.has(refererOrigin)
      ? null
      : `This request came from another site (${refererOrigin}) and was refused.`;
  }
  // Browsers always send Origin with fetch() and form posts: a cookie-carrying JSON or
  // body-less call without one comes from a non-browser client, which no foreign page can drive.
  if (isApi && !rawOrigin && (isBodyless(request) || isJson(request.headers.get('Content-Type')))) return null;

  const token = await formToken(request);
  if (token && sameToken(token, csrfTokenFor(sessionId))) return null;
  return 'This form could not be verified as coming from ClassCast. Reload the page and try again.';
}
