/**
 * Where to go after signing in. `redirectTo` comes from the query string, so it is parsed
 * as a URL against our own origin, the way a browser would resolve it, and kept only when
 * it lands on that origin. Strings are never pattern-matched: browsers drop tabs and
 * newlines and treat "\" as "/", so "/\t/evil.example" is really "//evil.example".
 */
export function safeRedirectTo(to: unknown, appOrigin: string, fallback = '/dashboard'): string {
  if (typeof to !== 'string' || !to.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(to, appOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(appOrigin).origin) return fallback;
  const target = `${url.pathname}${url.search}${url.hash}`;
  // The resolved path is what the browser will request; neither it nor its decoded form
  // may hide a second origin or a header-breaking character.
  return isPlainPath(target) && isPlainPath(decodedOrNull(target)) ? target : fallback;
}

function isPlainPath(path: string | null): boolean {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return path !== null && path.startsWith('/') && !path.startsWith('//') && !/[\u0000-\u001f\u007f\\]/.test(path);
}

function decodedOrNull(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** Where someone lands after signing in when no page asked for them: admins on /admin. */
export function homeFor(user: { role: string }): string {
  return user.role === 'admin' ? '/admin' : '/dashboard';
}
