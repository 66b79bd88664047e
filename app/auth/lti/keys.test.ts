import { importJWK, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { LtiToolKey } from '~/data/repository';
import { LtiError } from './errors';
import {
  generateToolKeyPair,
  KEY_PUBLISH_LEAD_MS,
  publishedKeys,
  sealPrivateKey,
  signingKeyOf,
  TOKEN_MAX_LIFETIME_MS,
  unsealPrivateKey,
} from './keys';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function key(kid: string, createdAt: number, signsFrom: number, retiresAt: number | null = null): LtiToolKey {
  return {
    kid,
    publicJwk: '{}',
    sealedPrivateKey: 'sealed',
    createdAt: iso(createdAt),
    signsFrom: iso(signsFrom),
    retiresAt: retiresAt === null ? null : iso(retiresAt),
  };
}

describe('generateToolKeyPair', () => {
  it('makes an RS256 pair named by its thumbprint whose private half signs what the public half verifies', async () => {
    const pair = await generateToolKeyPair();
    expect(pair.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: pair.kid });
    expect(pair.publicJwk).not.toHaveProperty('d');
    expect(pair.privateJwk).toHaveProperty('d');
    expect(Buffer.from(pair.publicJwk.n!, 'base64url').length).toBe(256); // 2048 bits
    const token = await new SignJWT({ hello: 'lms' })
      .setProtectedHeader({ alg: 'RS256', kid: pair.kid })
      .sign(await importJWK(pair.privateJwk, 'RS256'));
    const { payload } = await jwtVerify(token, await importJWK(pair.publicJwk, 'RS256'));
    expect(payload.hello).toBe('lms');
    const other = await generateToolKeyPair();
    expect(other.kid).not.toBe(pair.kid);
  });
});

describe('sealing private keys', () => {
  it('opens with the secret that sealed it, and with it among rotated secrets', async () => {
    const { privateJwk } = await generateToolKeyPair();
    const sealed = sealPrivateKey(privateJwk, 'old secret');
    expect(sealed).not.toContain(privateJwk.d);
    expect(unsealPrivateKey(sealed, ['old secret'])).toEqual(privateJwk);
    expect(unsealPrivateKey(sealed, ['new secret', 'old secret'])).toEqual(privateJwk);
  });

  it('refuses a wrong secret, a tampered text and something that is not sealed', async () => {
    const { privateJwk } = await generateToolKeyPair();
    const sealed = sealPrivateKey(privateJwk, 'right');
    expect(() => unsealPrivateKey(sealed, ['wrong', 'also wrong'])).toThrow(
      expect.objectContaining({ code: 'SEALED_KEY_UNREADABLE' }),
    );
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    parts[3] = flipped.toString('base64url');
    expect(() => unsealPrivateKey(parts.join('.'), ['right'])).toThrow(/cannot be read/);
    expect(() => unsealPrivateKey('{"kty":"RSA"}', ['right'])).toThrow(LtiError);
  });

  it('seals the same key differently each time (fresh salt and IV)', async () => {
    const { privateJwk } = await generateToolKeyPair();
    expect(sealPrivateKey(privateJwk, 's')).not.toBe(sealPrivateKey(privateJwk, 's'));
  });
});

describe('rotation', () => {
  // The first key signs at once; its successor is published an hour before it takes over,
  // and the first stays published until its last token has expired.
  const takeover = T0 + 10 * 24 * 3600_000;
  const newCreated = takeover - KEY_PUBLISH_LEAD_MS;
  const oldRetires = takeover + TOKEN_MAX_LIFETIME_MS;
  const keys = [key('old', T0, T0, oldRetires), key('new', newCreated, takeover)];

  it('publishes a new key before it signs', () => {
    const justAfterCreation = new Date(newCreated + 1);
    expect(publishedKeys(keys, justAfterCreation).map((k) => k.kid)).toEqual(['old', 'new']);
    expect(signingKeyOf(keys, justAfterCreation)?.kid).toBe('old');
  });

  it('signs with the new key from its signsFrom, while the old one is still published', () => {
    const at = new Date(takeover);
    expect(signingKeyOf(keys, at)?.kid).toBe('new');
    expect(publishedKeys(keys, at).map((k) => k.kid)).toEqual(['old', 'new']);
  });

  it('stops publishing a retired key after retiresAt', () => {
    expect(publishedKeys(keys, new Date(oldRetires - 1)).map((k) => k.kid)).toEqual(['old', 'new']);
    expect(publishedKeys(keys, new Date(oldRetires)).map((k) => k.kid)).toEqual(['new']);
    expect(signingKeyOf(keys, new Date(oldRetires + 1))?.kid).toBe('new');
  });

  it('has no signing key before any key exists or signs', () => {
    expect(signingKeyOf([], new Date(T0))).toBeNull();
    expect(signingKeyOf([key('future', T0, T0 + 1000)], new Date(T0))).toBeNull();
    expect(publishedKeys([key('future', T0 + 1, T0 + 1)], new Date(T0))).toEqual([]);
  });
});
