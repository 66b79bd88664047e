/**
 * INTERIM until lti-admin merges: `platformOrigins(ctx)` belongs to
 * app/services/lti-platforms.server.ts (C1), which caches it. Same contract: the distinct
 * origins of every registered platform's issuer and OIDC auth URL, no actor (the CSP and
 * CSRF checks ask it for every request, not on anyone's behalf).
 */
import type { ServiceContext } from './context';

export async function platformOrigins(ctx: Pick<ServiceContext, 'repos'>): Promise<string[]> {
  const origins = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await ctx.repos.lti.listPlatforms({ limit: 100, cursor });
    for (const platform of page.items) {
      for (const url of [platform.issuer, platform.authUrl]) {
        const origin = originOf(url);
        if (origin) origins.add(origin);
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return [...origins];
}

/** An issuer need not be a URL (the spec only asks for a case-sensitive string). */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}
