/** Builders and constants the LTI contract parts share (lti-registrations-contract.ts, lti-course-links-contract.ts). */
import { randomUUID } from 'node:crypto';
import type { LtiToolKey, NewLtiPlatform } from '../repository';

export const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC3';
export const MINUTE_MS = 60_000;
export const LONG_LEASE_MS = 60_000;
export const MAX_ROUNDS = 400;

export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE_MS).toISOString();
/** Issuers are URLs; the `#` and `/` in them must not confuse a key built from them. */
export const anIssuer = () => `https://lms-${randomUUID().slice(0, 8)}.example.test/a#b`;

export function aPlatform(overrides: Partial<NewLtiPlatform> = {}): NewLtiPlatform {
  const issuer = overrides.issuer ?? anIssuer();
  return {
    name: 'Canvas',
    issuer,
    clientId: `client-${randomUUID()}`,
    deploymentIds: ['dep-1', 'dep#2'],
    authUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    ...overrides,
  };
}

export function aKey(createdAt: string, overrides: Partial<LtiToolKey> = {}): LtiToolKey {
  const kid = `kid-${randomUUID()}`;
  return {
    kid,
    publicJwk: JSON.stringify({ kty: 'RSA', kid, n: 'abc', e: 'AQAB', alg: 'RS256', use: 'sig' }),
    sealedPrivateKey: `sealed:${kid}`,
    signsFrom: createdAt,
    retiresAt: null,
    createdAt,
    ...overrides,
  };
}
