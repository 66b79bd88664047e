import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { CognitoConfig } from '~/config.server';
import { AppError } from '~/utils/errors';

/** What a verified Cognito access token says about its holder. */
export interface CognitoAccessClaims {
  sub: string;
  groups: string[];
  username: string | null;
}

/** One key set per JWKS URL: jose caches the keys and refetches on an unknown kid (rate-limited). */
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(jwksUrl: string): JWTVerifyGetKey {
  let keys = keySets.get(jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    keySets.set(jwksUrl, keys);
  }
  return keys;
}

type Pool = Pick<CognitoConfig, 'issuer' | 'clientId' | 'jwksUrl'>;

/**
 * Checks a Cognito ACCESS token: signature by the pool's keys (RS256), issuer, expiry,
 * `token_use` = access (an id token is refused) and `client_id` = our app client (access
 * tokens carry no `aud`). Any failure is INVALID_TOKEN (401); an unreachable JWKS is a 503.
 * `keys` is for tests that hand in a local key set.
 */
export async function verifyCognitoAccessToken(
  token: string,
  pool: Pool,
  keys: JWTVerifyGetKey = keySetFor(pool.jwksUrl),
): Promise<CognitoAccessClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys, { issuer: pool.issuer, algorithms: ['RS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWKSTimeout || isFetchFailure(error)) {
      throw new AppError('SIGN_IN_UNAVAILABLE', 'The sign-in service cannot be reached. Try again shortly.');
    }
    const expired = error instanceof joseErrors.JWTExpired;
    throw new AppError('INVALID_TOKEN', expired ? 'The token has expired.' : 'The token is invalid.');
  }
  if (payload.token_use !== 'access') {
    throw new AppError('INVALID_TOKEN', 'An access token is required (this is not one).');
  }
  if (payload.client_id !== pool.clientId) {
    throw new AppError('INVALID_TOKEN', 'The token was issued to another application.');
  }
  if (typeof payload.sub !== 'string' || !payload.sub) throw new AppError('INVALID_TOKEN', 'The token is invalid.');
  const groups = payload['cognito:groups'];
  return {
    sub: payload.sub,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    username: typeof payload.username === 'string' ? payload.username : null,
  };
}

/** jose's remote key set reports a refused connection as the fetch's own TypeError. */
function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch/i.test(error.message);
}
