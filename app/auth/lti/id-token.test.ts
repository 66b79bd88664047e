import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LtiPlatform } from '~/data/repository';
import { startFakePlatform, type FakePlatform } from '../../../tools/lti-platform';
import { CLAIM } from './claims';
import { createJwksCache, verifyLaunchToken } from './id-token';
import { AGS_SCOPE_SCORE } from './scopes';

let lms: FakePlatform;
let platform: LtiPlatform;
const clock = Date.now();
const now = () => new Date(clock);

beforeAll(async () => {
  lms = await startFakePlatform({ toolUrl: 'http://127.0.0.1:9', now });
  platform = { ...lms.registration, id: 'p-1', createdAt: now().toISOString(), updatedAt: now().toISOString() };
});
afterAll(() => lms.stop());

function resourceClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const claims = lms.launchClaims({ user: 'student', kind: 'resource', resourceLinkId: 'rl-x', nonce: 'n-1' });
  return withOverrides(claims, overrides);
}

/** undefined removes a claim. */
function withOverrides(claims: JWTPayload, overrides: Record<string, unknown>): JWTPayload {
  const out: JWTPayload = { ...claims };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

async function verify(token: string, opts: { jwks?: ReturnType<typeof createJwksCache>; at?: Date } = {}) {
  return verifyLaunchToken(token, platform, { now: opts.at ?? now(), jwks: opts.jwks ?? sharedJwks });
}
const sharedJwks = createJwksCache();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `not an LtiError: ${String(error)}`;
  }
  return 'no error';
}

describe('verifyLaunchToken: good launches', () => {
  it('reads a resource link launch into LaunchClaims', async () => {
    const claims = await verify(
      await lms.signIdToken({ ...resourceClaims(), [CLAIM.custom]: { unit: 3, topic: 'cells' } }),
    );
    expect(claims).toMatchObject({
      issuer: lms.issuer,
      subject: lms.users.student.sub,
      clientId: lms.clientId,
      deploymentId: lms.deploymentId,
      messageType: 'LtiResourceLinkRequest',
      nonce: 'n-1',
      name: 'Sam Student',
      givenName: 'Sam',
      familyName: 'Student',
      email: 'student@lms.example',
      roles: lms.users.student.roles,
      context: { id: 'course-1', title: 'Biology 101', label: 'BIO101' },
      resourceLink: { id: 'rl-x', title: 'Link rl-x' },
      targetLinkUri: 'http://127.0.0.1:9/lti/launch',
      custom: { unit: '3', topic: 'cells' },
      nrps: { membershipsUrl: `${lms.url}/contexts/course-1/memberships` },
      deepLinking: null,
      presentation: { documentTarget: 'iframe', returnUrl: `${lms.url}/course/course-1` },
      platformStorageTarget: null,
    });
    expect(claims.ags).toMatchObject({ lineItemsUrl: `${lms.url}/contexts/course-1/lineitems`, lineItemUrl: null });
    expect(claims.ags?.scope).toContain(AGS_SCOPE_SCORE);
  });

  it('reads a deep-linking request, with no resource link and its settings', async () => {
    const token = await lms.signIdToken(lms.launchClaims({ user: 'instructor', kind: 'deepLink', nonce: 'n-2' }));
    const claims = await verify(token);
    expect(claims.messageType).toBe('LtiDeepLinkingRequest');
    expect(claims.resourceLink).toBeNull();
    expect(claims.deepLinking).toMatchObject({
      returnUrl: `${lms.url}/deep-link-return`,
      acceptTypes: ['ltiResourceLink'],
      acceptMultiple: true,
    });
    expect(claims.deepLinking?.data).toMatch(/^dl-/);
  });

  it('accepts several audiences when azp names us, and an expiry within the 5 s tolerance', async () => {
    const claims = resourceClaims({ aud: [lms.clientId, 'someone-else'], azp: lms.clientId });
    await expect(verify(await lms.signIdToken(claims))).resolves.toMatchObject({ subject: lms.users.student.sub });
    const single = resourceClaims({ aud: lms.clientId, azp: undefined });
    await expect(verify(await lms.signIdToken(single))).resolves.toMatchObject({ clientId: lms.clientId });
    const barelyExpired = await lms.signIdToken(resourceClaims(), { expiresInSeconds: -3 });
    await expect(verify(barelyExpired)).resolves.toBeTruthy();
  });
});

describe('verifyLaunchToken: bad tokens, each with its code', () => {
  it('BAD_SIGNATURE: signed by another key under the platform kid, tampered, or an unknown kid', async () => {
    const good = await lms.signIdToken(resourceClaims());
    const { kid } = JSON.parse(Buffer.from(good.split('.')[0], 'base64url').toString()) as { kid: string };
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(resourceClaims())
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await codeOf(verify(forged))).toBe('BAD_SIGNATURE');

    const [header, , signature] = good.split('.');
    const otherBody = Buffer.from(JSON.stringify({ ...resourceClaims(), sub: 'lms-admin' })).toString('base64url');
    expect(await codeOf(verify(`${header}.${otherBody}.${signature}`))).toBe('BAD_SIGNATURE');

    expect(await codeOf(verify(await lms.signIdToken(resourceClaims(), { kid: 'not-published' })))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('MALFORMED_TOKEN: not a JWT at all', async () => {
    expect(await codeOf(verify('not-a-jwt'))).toBe('MALFORMED_TOKEN');
    expect(await codeOf(verify(''))).toBe('MALFORMED_TOKEN');
  });

  it('WRONG_ISSUER', async () => {
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ iss: 'https://other-lms.example' }))))).toBe(
      'WRONG_ISSUER',
    );
  });

  it('WRONG_AUDIENCE: another client, or several audiences with azp missing or naming someone else', async () => {
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ aud: 'other-tool', azp: undefined }))))).toBe(
      'WRONG_AUDIENCE',
    );
    const several = { aud: [lms.clientId, 'other-tool'] };
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ ...several, azp: 'other-tool' }))))).toBe(
      'WRONG_AUDIENCE',
    );
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ ...several, azp: undefined }))))).toBe(
      'WRONG_AUDIENCE',
    );
    // One audience but an azp for someone else is just as wrong.
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ azp: 'other-tool' }))))).toBe('WRONG_AUDIENCE');
  });

  it('TOKEN_EXPIRED: past exp beyond the tolerance, or issued in the future', async () => {
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims(), { expiresInSeconds: -10 })))).toBe(
      'TOKEN_EXPIRED',
    );
    const fresh = await lms.signIdToken(resourceClaims());
    expect(await codeOf(verify(fresh, { at: new Date(clock + 10 * 60_000) }))).toBe('TOKEN_EXPIRED');
    expect(await codeOf(verify(fresh, { at: new Date(clock - 60_000) }))).toBe('TOKEN_EXPIRED');
  });

  it.each([
    ['sub', 'sub'],
    ['nonce', 'nonce'],
    ['roles', CLAIM.roles],
    ['version', CLAIM.version],
    ['message type', CLAIM.messageType],
    ['deployment id', CLAIM.deploymentId],
    ['resource link', CLAIM.resourceLink],
    ['target link uri', CLAIM.targetLinkUri],
  ])('MISSING_CLAIM: %s', async (_name, claim) => {
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ [claim]: undefined }))))).toBe('MISSING_CLAIM');
  });

  it('MISSING_CLAIM: a resource link without id, roles that are not a list, a deep-linking request without settings', async () => {
    const noId = resourceClaims({ [CLAIM.resourceLink]: { title: 'Week 1' } });
    expect(await codeOf(verify(await lms.signIdToken(noId)))).toBe('MISSING_CLAIM');
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ [CLAIM.roles]: 'Learner' }))))).toBe(
      'MISSING_CLAIM',
    );
    const deepLink = lms.launchClaims({ user: 'instructor', kind: 'deepLink', nonce: 'n' });
    const noSettings = withOverrides(deepLink, { [CLAIM.deepLinkingSettings]: undefined });
    expect(await codeOf(verify(await lms.signIdToken(noSettings)))).toBe('MISSING_CLAIM');
    const scriptTarget = resourceClaims({ [CLAIM.targetLinkUri]: 'javascript:alert(1)' });
    expect(await codeOf(verify(await lms.signIdToken(scriptTarget)))).toBe('MISSING_CLAIM');
    const badAgs = resourceClaims({ [CLAIM.ags]: { scope: [AGS_SCOPE_SCORE], lineitems: 'not a url' } });
    expect(await codeOf(verify(await lms.signIdToken(badAgs)))).toBe('MISSING_CLAIM');
  });

  it('WRONG_MESSAGE_TYPE', async () => {
    const review = resourceClaims({ [CLAIM.messageType]: 'LtiSubmissionReviewRequest' });
    expect(await codeOf(verify(await lms.signIdToken(review)))).toBe('WRONG_MESSAGE_TYPE');
    const response = resourceClaims({ [CLAIM.messageType]: 'LtiDeepLinkingResponse' });
    expect(await codeOf(verify(await lms.signIdToken(response)))).toBe('WRONG_MESSAGE_TYPE');
  });

  it('WRONG_VERSION', async () => {
    expect(await codeOf(verify(await lms.signIdToken(resourceClaims({ [CLAIM.version]: '1.1.0' }))))).toBe(
      'WRONG_VERSION',
    );
  });

  it('UNKNOWN_DEPLOYMENT', async () => {
    const other = resourceClaims({ [CLAIM.deploymentId]: 'deployment-elsewhere' });
    expect(await codeOf(verify(await lms.signIdToken(other)))).toBe('UNKNOWN_DEPLOYMENT');
  });
});

describe('verifyLaunchToken: the platform JWKS is down', () => {
  it('JWKS_UNAVAILABLE when no key set was ever fetched', async () => {
    const down = await startFakePlatform({ toolUrl: 'http://127.0.0.1:9', now });
    const reg = { ...down.registration, id: 'p-down', createdAt: '', updatedAt: '' };
    const token = await down.signIdToken(down.launchClaims({ user: 'student', kind: 'resource', nonce: 'n' }));
    await down.stop();
    const error = await verifyLaunchToken(token, reg, { now: now(), jwks: createJwksCache() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JWKS_UNAVAILABLE', status: 503 });
  });

  it('keeps verifying with the last good key set for a while, then JWKS_UNAVAILABLE', async () => {
    const flaky = await startFakePlatform({ toolUrl: 'http://127.0.0.1:9', now });
    const reg = { ...flaky.registration, id: 'p-flaky', createdAt: '', updatedAt: '' };
    // cacheMaxAge 0: jose refetches every time, so the outage is noticed at once.
    const jwks = createJwksCache({ cacheMaxAgeMs: 0, cooldownMs: 0, staleForMs: 60 * 60_000 });
    const token = await flaky.signIdToken(flaky.launchClaims({ user: 'student', kind: 'resource', nonce: 'n' }));
    await expect(verifyLaunchToken(token, reg, { now: now(), jwks })).resolves.toBeTruthy();
    await flaky.stop();

    await expect(verifyLaunchToken(token, reg, { now: now(), jwks })).resolves.toMatchObject({
      subject: flaky.users.student.sub,
    });
    // A forged token does not pass just because the keys come from the cache.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(await codeOf(verifyLaunchToken(forged, reg, { now: now(), jwks }))).toBe('BAD_SIGNATURE');

    const later = new Date(clock + 61 * 60_000);
    expect(await codeOf(verifyLaunchToken(token, reg, { now: later, jwks }))).toBe('JWKS_UNAVAILABLE');
  });
  it('does not ask an endpoint that just failed again within the cooldown, while the remembered keys serve', async () => {
    const flaky = await startFakePlatform({ toolUrl: 'http://127.0.0.1:9', now });
    const reg = flaky.registration;
    let fetches = 0;
    let down = false;
    const jwks = createJwksCache({
      cacheMaxAgeMs: 0,
      cooldownMs: 30_000,
      fetch: (url, init) => {
        fetches++;
        return down ? Promise.reject(new TypeError('fetch failed')) : fetch(url, init);
      },
    });
    const token = await flaky.signIdToken(flaky.launchClaims({ user: 'student', kind: 'resource', nonce: 'n' }));
    try {
      await verifyLaunchToken(token, reg, { now: now(), jwks });
      down = true;
      const before = fetches;
      await verifyLaunchToken(token, reg, { now: new Date(clock + 31_000), jwks });
      expect(fetches - before).toBe(1);
      await verifyLaunchToken(token, reg, { now: new Date(clock + 32_000), jwks });
      await verifyLaunchToken(token, reg, { now: new Date(clock + 40_000), jwks });
      expect(fetches - before).toBe(1);
      down = false;
      await verifyLaunchToken(token, reg, { now: new Date(clock + 62_000), jwks });
      expect(fetches - before).toBe(2);
    } finally {
      await flaky.stop();
    }
  });
});
