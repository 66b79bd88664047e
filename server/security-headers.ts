/**
 * helmet's headers for every page. The one moving part is who may frame ClassCast (and where
 * its forms may post): 'self', the operator's FRAME_ANCESTORS and the origins of the LMS
 * platforms registered for LTI. Registrations change while the server runs, but the list is
 * asked of the data store at most once per `maxAgeMs` and in the background: a request only
 * reads the last answer (docs/decisions/024-lti-advantage.md).
 */
import helmet from 'helmet';

export interface OriginsCache {
  /** The last list loaded; starts a background refresh when it is older than maxAgeMs. */
  current(): string[];
  /** Loads now (start-up; tests). A failed load keeps the last list. */
  refresh(): Promise<void>;
}

export function createOriginsCache(
  load: () => Promise<string[]>,
  {
    maxAgeMs = 5_000,
    now = Date.now,
    onError = () => undefined,
  }: { maxAgeMs?: number; now?: () => number; onError?: (error: unknown) => void } = {},
): OriginsCache {
  let value: string[] = [];
  let loadedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  const refresh = () =>
    (inFlight ??= load()
      .then(
        (origins) => {
          value = origins;
        },
        // A data store outage must not empty the list (every embedded page would go blank);
        // the next try waits a full maxAgeMs so an outage is not hammered per request.
        onError,
      )
      .finally(() => {
        loadedAt = now();
        inFlight = null;
      }));
  return {
    current() {
      if (now() - loadedAt >= maxAgeMs) void refresh();
      return value;
    },
    refresh,
  };
}

export interface SecurityHeaderOptions {
  /** Object storage and other stand-ins the browser talks to directly (uploads, playback). */
  browserOrigins: string[];
  /** The Cognito hosted domain's origin, when Cognito sign-in is on. */
  cognitoOrigin: string | null;
  /** FRAME_ANCESTORS, validated by config (never `*`). */
  frameAncestors: string[];
  platformOrigins: OriginsCache;
  strictTransportSecurity: boolean;
}

export function securityHeaders(opts: SecurityHeaderOptions) {
  const operatorLms = opts.frameAncestors.filter((source) => source !== "'self'");
  // Evaluated per response: the cache answers from memory.
  const platforms = () => opts.platformOrigins.current().join(' ');
  return helmet({
    contentSecurityPolicy: {
      directives: {
        // Remix hydrates from inline module scripts; no third-party scripts are allowed.
        'script-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'", ...opts.browserOrigins],
        'media-src': ["'self'", 'blob:', ...opts.browserOrigins],
        'img-src': ["'self'", 'data:', 'blob:', ...opts.browserOrigins],
        // Logout of a Cognito session is a form post that redirects to the pool's /logout; the
        // LTI login redirects to the platform's auth URL and the deep-linking response is
        // posted to the platform's return URL (form-action covers redirects after a post).
        'form-action': [
          "'self'",
          ...opts.browserOrigins,
          ...(opts.cognitoOrigin ? [opts.cognitoOrigin] : []),
          ...operatorLms,
          platforms,
        ],
        'frame-ancestors': ["'self'", ...operatorLms, platforms],
        'upgrade-insecure-requests': null,
      },
    },
    // frame-ancestors above governs embedding (LMS iframes); X-Frame-Options cannot list origins.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    // helmet's default, no-referrer, makes Chromium send `Origin: null` on plain form
    // posts, which Remix's CSRF check rejects: JS-off forms would all fail.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: opts.strictTransportSecurity,
  });
}
