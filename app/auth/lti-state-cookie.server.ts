/**
 * Binds an OIDC login in flight to the browser that started it (LTI 1.3 core §5.1.1.1: the
 * tool must check the `state` it gets back belongs to this user agent). /lti/login sets one
 * cookie per state, /lti/launch requires it: a launch form posted by another page, carrying a
 * state that page obtained for itself, finds no cookie of that name and is refused (login CSRF).
 *
 * One cookie per state, not one shared cookie, so two launches opening in two tabs (or two
 * iframes of one LMS page) do not overwrite each other's.
 *
 * The launch is a cross-site form post from the LMS, inside the LMS's iframe: only a
 * `SameSite=None; Secure` cookie travels with it, and `Partitioned` (CHIPS) is what browsers
 * that block third-party cookies still accept inside that frame. Path /lti keeps it off every
 * other request. Chromium treats http://localhost and 127.0.0.1 as secure, so tests see it too.
 */
export const LTI_STATE_COOKIE_PREFIX = 'lti_state_';
/** The launch state's own lifetime (10 minutes): the cookie never outlives it. */
export const LTI_STATE_MAX_AGE_SECONDS = 10 * 60;

const ATTRIBUTES = 'Path=/lti; HttpOnly; Secure; SameSite=None; Partitioned';

/** States are base64url (random bytes): a safe cookie name and value as they are. */
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function stateCookie(state: string): string {
  if (!STATE_PATTERN.test(state)) throw new Error('A launch state must be base64url.');
  return `${LTI_STATE_COOKIE_PREFIX}${state}=1; Max-Age=${LTI_STATE_MAX_AGE_SECONDS}; ${ATTRIBUTES}`;
}

export function clearStateCookie(state: string): string | null {
  if (!STATE_PATTERN.test(state)) return null;
  return `${LTI_STATE_COOKIE_PREFIX}${state}=; Max-Age=0; ${ATTRIBUTES}`;
}

/** Whether the request carries the cookie /lti/login set for `state`. */
export function hasStateCookie(request: Request, state: string): boolean {
  if (!STATE_PATTERN.test(state)) return false;
  const wanted = `${LTI_STATE_COOKIE_PREFIX}${state}`;
  const header = request.headers.get('Cookie') ?? '';
  return header.split(';').some((part) => {
    const [name, value] = part.trim().split('=');
    return name === wanted && value === '1';
  });
}
