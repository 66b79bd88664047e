/**
 * The tool's own RSA keys (LTI Security Framework §6: the tool signs client assertions and
 * deep-linking responses with RS256, and publishes its public keys as a JWKS). Rotation is
 * by time stamps on LtiToolKey: a new key is published KEY_PUBLISH_LEAD_MS before it signs,
 * so platforms that cache our JWKS already know it on its first token, and the old key stays
 * published until the last token it signed has expired (TOKEN_MAX_LIFETIME_MS after the new
 * key took over). The service stores keys; this module only decides from the stamps.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { LtiToolKey } from '~/data/repository';
import { LtiError } from './errors';

/** How long a new key is in /lti/jwks before it signs anything (platforms cache JWKS for minutes to an hour). */
export const KEY_PUBLISH_LEAD_MS = 60 * 60 * 1000;
/** The longest lifetime of anything we sign (client assertions, deep-linking responses). */
export const TOKEN_MAX_LIFETIME_MS = 5 * 60 * 1000;

export const TOOL_KEY_ALG = 'RS256';

export async function generateToolKeyPair(): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(TOOL_KEY_ALG, { modulusLength: 2048, extractable: true });
  const publicPart = await exportJWK(publicKey);
  // The RFC 7638 thumbprint names the key by its content: stable, unique, nothing to store.
  const kid = await calculateJwkThumbprint(publicPart, 'sha256');
  const meta = { kid, alg: TOOL_KEY_ALG, use: 'sig' };
  return {
    kid,
    publicJwk: { ...publicPart, ...meta },
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
  };
}

// --- Sealing: private keys are stored encrypted (AES-256-GCM), the key derived from a secret.

const SEAL_VERSION = 'v1';
const HKDF_INFO = 'classcast lti tool key v1';

function sealingKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, HKDF_INFO, 32));
}

/** `v1.<salt>.<iv>.<ciphertext>.<tag>`, base64url; a fresh salt and IV per seal. */
export function sealPrivateKey(privateJwk: JWK, secret: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret, salt), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()]);
  return [SEAL_VERSION, salt, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/**
 * Opens a sealed key with the first of `secrets` that fits (the current secret first, then
 * the ones it replaced, so rotating LTI_KEY_SECRET never strands a stored key).
 * SEALED_KEY_UNREADABLE when none does or the text is not a sealed key.
 */
export function unsealPrivateKey(sealed: string, secrets: string[]): JWK {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== SEAL_VERSION) {
    throw new LtiError('SEALED_KEY_UNREADABLE', 'not a v1 sealed key');
  }
  const [salt, iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  for (const secret of secrets) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret, salt), iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as JWK;
    } catch {
      // GCM's tag check failed: the next secret may be the one that sealed it.
    }
  }
  throw new LtiError('SEALED_KEY_UNREADABLE', `none of ${secrets.length} secret(s) opens the key`);
}

// --- Rotation, decided from the stamps alone.

function at(iso: string): number {
  return Date.parse(iso);
}

/** The keys /lti/jwks shows at `now`: created, and not yet retired. */
export function publishedKeys(keys: LtiToolKey[], now: Date): LtiToolKey[] {
  const t = now.getTime();
  return keys.filter((key) => at(key.createdAt) <= t && (key.retiresAt === null || at(key.retiresAt) > t));
}

/**
 * The key that signs at `now`: among the published keys whose `signsFrom` has come, the one
 * that started signing last. Null when there is none (the service then creates the first).
 */
export function signingKeyOf(keys: LtiToolKey[], now: Date): LtiToolKey | null {
  const t = now.getTime();
  let best: LtiToolKey | null = null;
  for (const key of publishedKeys(keys, now)) {
    if (at(key.signsFrom) > t) continue;
    if (!best || at(key.signsFrom) > at(best.signsFrom)) best = key;
  }
  return best;
}
