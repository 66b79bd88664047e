/**
 * The signed token in a mail's one-click unsubscribe link (RFC 8058): an HS256 JWT saying
 * which user turns off which preference. It is the whole authority of the unsubscribe POST
 * (a mail client posts it without any cookie), so it is signed with a key derived from
 * SESSION_SECRET for this one purpose and lives a limited time (an old mail's link ends).
 */
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { config } from '~/config.server';
import type { UnsubscribePreference } from './templates';

export const UNSUBSCRIBE_PREFERENCES = ['grades', 'messages', 'announcements', 'digest'] as const;

/** Long enough for a mail read weeks later; a stale link leads to the settings page instead. */
export const UNSUBSCRIBE_TOKEN_LIFETIME_SECONDS = 90 * 24 * 60 * 60;

const AUDIENCE = 'classcast:unsubscribe';

/** Every configured session secret (the first signs; all verify, so rotation keeps old mails working). */
function keys(): Uint8Array[] {
  return config()
    .SESSION_SECRET.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((secret) => new Uint8Array(createHmac('sha256', secret).update('mail-unsubscribe').digest()));
}

const claims = z.object({
  sub: z.string().min(1),
  pref: z.enum(UNSUBSCRIBE_PREFERENCES),
});

export interface UnsubscribeClaims {
  userId: string;
  preference: UnsubscribePreference;
}

export async function createUnsubscribeToken(claim: UnsubscribeClaims, now: Date): Promise<string> {
  const [key] = keys();
  if (!key) throw new Error('SESSION_SECRET is empty');
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ pref: claim.preference })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claim.userId)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + UNSUBSCRIBE_TOKEN_LIFETIME_SECONDS)
    .sign(key);
}

/** The claims of a valid token; null for anything tampered, expired, malformed or foreign. */
export async function readUnsubscribeToken(token: string, now: Date): Promise<UnsubscribeClaims | null> {
  if (!token || token.length > 2000) return null;
  for (const key of keys()) {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        audience: AUDIENCE,
        currentDate: now,
      });
      const parsed = claims.safeParse(payload);
      return parsed.success ? { userId: parsed.data.sub, preference: parsed.data.pref } : null;
    } catch {
      // Not this key (or not valid at all): try the next one.
    }
  }
  return null;
}

export function unsubscribeUrl(appUrl: string, token: string): string {
  return `${appUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
}
