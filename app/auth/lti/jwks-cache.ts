/**
 * Platform key sets, one per JWKS URL. jose's remote key set does the fetching, caching and
 * refetch-on-unknown-kid (rate-limited by its cooldown); on top of it we keep the last key set
 * that verified, so a platform whose JWKS endpoint is briefly down does not stop launches:
 * for `staleForMs` (1 h) after the last good answer we verify against the remembered keys,
 * after that JWKS_UNAVAILABLE (503). A key set that answers but lacks the token's kid is not
 * "down": that stays a bad signature.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors as joseErrors,
  type FetchImplementation,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from 'jose';
import { LtiError } from './errors';

export interface JwksCache {
  /** The key resolver for one verification at `now` (the clock for the stale window). */
  keysFor(jwksUrl: string, now: Date): JWTVerifyGetKey;
}

export interface JwksCacheOptions {
  /** How long jose trusts a fetched key set before refetching. Default 10 min. */
  cacheMaxAgeMs?: number;
  /** The least time between two refetches (unknown kids cannot hammer the platform). Default 30 s. */
  cooldownMs?: number;
  /** One JWKS request's timeout. Default 5 s. */
  timeoutMs?: number;
  /** How long the last good key set stands in for an unreachable JWKS. Default 1 h. */
  staleForMs?: number;
  fetch?: FetchImplementation;
}

interface Entry {
  remote: RemoteJWKSet;
  lastGood: JSONWebKeySet | null;
  lastGoodAt: number;
  /** When the endpoint last failed to answer; null once it answers again. */
  failedAt: number | null;
}

export const JWKS_STALE_FOR_MS = 60 * 60 * 1000;

export function createJwksCache(options: JwksCacheOptions = {}): JwksCache {
  const entries = new Map<string, Entry>();
  const staleForMs = options.staleForMs ?? JWKS_STALE_FOR_MS;
  const cooldownMs = options.cooldownMs ?? 30_000;

  function entryFor(jwksUrl: string): Entry {
    let entry = entries.get(jwksUrl);
    if (!entry) {
      const remote = createRemoteJWKSet(new URL(jwksUrl), {
        cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60 * 1000,
        cooldownDuration: cooldownMs,
        timeoutDuration: options.timeoutMs ?? 5_000,
        ...(options.fetch ? { [customFetch]: options.fetch } : {}),
      });
      entry = { remote, lastGood: null, lastGoodAt: 0, failedAt: null };
      entries.set(jwksUrl, entry);
    }
    return entry;
  }

  return {
    keysFor(jwksUrl, now) {
      const entry = entryFor(jwksUrl);
      const t = now.getTime();
      const stale = () => (entry.lastGood && t - entry.lastGoodAt <= staleForMs ? entry.lastGood : null);
      return async (header, token) => {
        // Just failed: do not make every launch wait for another timeout; the cooldown decides when to ask again.
        const remembered = stale();
        if (entry.failedAt !== null && t - entry.failedAt < cooldownMs && remembered) {
          return createLocalJWKSet(remembered)(header, token);
        }
        try {
          const key = await entry.remote(header, token);
          const jwks = entry.remote.jwks();
          if (jwks) {
            entry.lastGood = jwks;
            entry.lastGoodAt = t;
          }
          entry.failedAt = null;
          return key;
        } catch (error) {
          if (!isUnreachable(error)) throw error;
          entry.failedAt = t;
          const fallback = stale();
          if (fallback) return createLocalJWKSet(fallback)(header, token);
          throw new LtiError('JWKS_UNAVAILABLE', `${jwksUrl}: ${describe(error)}`, { cause: error });
        }
      };
    },
  };
}

/**
 * The JWKS endpoint did not answer with a key set: refused or reset connection (fetch's
 * TypeError), timeout, a non-200 answer or one that is not a JWKS. jose reports the last two
 * as its generic JOSEError or JWKSInvalid.
 */
function isUnreachable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  if (error instanceof TypeError) return true;
  return error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC';
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
