import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCognitoAccessToken } from './cognito-tokens.server';

const POOL = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test',
  clientId: 'ourclient',
  jwksUrl: 'https://unused.example/jwks.json',
};

let privateKey: CryptoKey;
let otherKey: CryptoKey;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' };
  keys = createLocalJWKSet({ keys: [jwk] });
});

function accessClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: 'a1b2c3',
    token_use: 'access',
    client_id: POOL.clientId,
    username: 'ada',
    'cognito:groups': ['instructor'],
    scope: 'openid email',
    ...overrides,
  };
}

async function sign(
  claims: JWTPayload,
  { key = privateKey, kid = 'pool-key', issuer = POOL.issuer, expiresIn = '10m' as string | number } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}

const verify = (token: string) => verifyCognitoAccessToken(token, POOL, keys);
const refusedWith = (message: RegExp) => ({
  name: 'AppError',
  code: 'INVALID_TOKEN',
  message: expect.stringMatching(message),
});

describe('Cognito access tokens', () => {
  it('accepts a good access token and reads its subject, groups and username', async () => {
    await expect(verify(await sign(accessClaims()))).resolves.toEqual({
      sub: 'a1b2c3',
      groups: ['instructor'],
      username: 'ada',
    });
  });

  it('reads a token without groups as no groups', async () => {
    const claims = accessClaims();
    delete claims['cognito:groups'];
    expect((await verify(await sign(claims))).groups).toEqual([]);
  });

  it('refuses a tampered token', async () => {
    const [header, , signature] = (await sign(accessClaims())).split('.');
    const forged = Buffer.from(JSON.stringify(accessClaims({ 'cognito:groups': ['admin'] }))).toString('base64url');
    await expect(verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject(refusedWith(/invalid/));
  });

  it('refuses an expired token, saying so', async () => {
    const expired = await sign(accessClaims(), { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await expect(verify(expired)).rejects.toMatchObject(refusedWith(/expired/));
  });

  it('refuses a token from another pool', async () => {
    const token = await sign(accessClaims(), { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' });
    await expect(verify(token)).rejects.toMatchObject(refusedWith(/invalid/));
  });

  it('refuses a token issued to another app client', async () => {
    await expect(verify(await sign(accessClaims({ client_id: 'someone-else' })))).rejects.toMatchObject(
      refusedWith(/another application/),
    );
  });

  it('refuses an id token where an access token is expected', async () => {
    const idToken = await sign(accessClaims({ token_use: 'id', aud: POOL.clientId, client_id: undefined }));
    await expect(verify(idToken)).rejects.toMatchObject(refusedWith(/access token is required/));
  });

  it('refuses a token signed with a key the pool does not publish (unknown kid)', async () => {
    await expect(verify(await sign(accessClaims(), { key: otherKey, kid: 'not-ours' }))).rejects.toMatchObject(
      refusedWith(/invalid/),
    );
  });

  it('refuses a token signed by another key under the pool kid', async () => {
    await expect(verify(await sign(accessClaims(), { key: otherKey }))).rejects.toMatchObject(refusedWith(/invalid/));
  });

  it('refuses an HS256 token and garbage', async () => {
    const hs = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(POOL.issuer)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(verify(hs)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(verify('not.a.token')).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('answers 503 when the pool keys cannot be fetched', async () => {
    const pool = { ...POOL, jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' };
    await expect(verifyCognitoAccessToken(await sign(accessClaims()), pool)).rejects.toMatchObject({
      code: 'SIGN_IN_UNAVAILABLE',
      status: 503,
    });
  });
});
