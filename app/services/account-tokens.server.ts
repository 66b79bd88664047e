import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '~/config.server';
import type { AccountTokenPurpose } from '~/data/repository';

/**
 * The secret half of an account token (verification, password reset, email change) is never
 * stored: it is an HMAC of the token's id under the server's session key, so the mail job can
 * rebuild the link from the id it is handed (outbox payloads carry ids, never secrets), and the
 * database keeps only SHA-256 of the secret — a copy of the table opens no account. A link is
 * `<id>.<secret>`; rotating SESSION_SECRET ends the links in flight (they live 30 minutes).
 */

export const ACCOUNT_TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  'password-reset': 30 * 60 * 1000,
  'verify-email': 7 * 24 * 60 * 60 * 1000,
  'change-email': 24 * 60 * 60 * 1000,
};

const LINK_PATHS: Record<AccountTokenPurpose, string> = {
  'password-reset': '/reset-password',
  'verify-email': '/verify-email',
  'change-email': '/verify-email',
};

function signingKey(): string {
  const first = config()
    .SESSION_SECRET.split(',')
    .map((s) => s.trim())
    .find(Boolean);
  if (!first) throw new Error('SESSION_SECRET is empty');
  return first;
}

export function accountTokenSecret(tokenId: string): string {
  return createHmac('sha256', signingKey()).update(`account-token:${tokenId}`).digest('base64url');
}

export function hashAccountTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `<id>.<secret>`: what a mailed link carries. */
export function accountTokenValue(tokenId: string): string {
  return `${tokenId}.${accountTokenSecret(tokenId)}`;
}

/** The absolute link a mail gives for the token. */
export function accountTokenUrl(purpose: AccountTokenPurpose, tokenId: string): string {
  return `${config().appUrl}${LINK_PATHS[purpose]}/${encodeURIComponent(accountTokenValue(tokenId))}`;
}

/**
 * Splits a presented `<id>.<secret>` into the id and the hash to compare with the stored one.
 * Null for anything malformed (the caller answers "invalid or expired link"). The secret is
 * also checked against the HMAC here, in constant time, so a guessed secret never reaches the
 * database's comparison.
 */
export function parseAccountTokenValue(value: string): { id: string; tokenHash: string } | null {
  const match = /^([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(value.trim());
  if (!match) return null;
  const [, id, secret] = match;
  const expected = Buffer.from(accountTokenSecret(id));
  const given = Buffer.from(secret);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { id, tokenHash: hashAccountTokenSecret(secret) };
}
