import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { config } from '~/config.server';
import { AppError } from '~/utils/errors';

/**
 * Bearer JWTs for the JSON API (HS256 with JWT_SECRET, signed by jose).
 * Access tokens are short-lived and stateless. Refresh tokens name an auth session and
 * its generation; the session row decides whether they are still good (see
 * services/auth-tokens.server.ts).
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const ISSUER = 'classcast';

function key(): Uint8Array {
  return new TextEncoder().encode(config().JWT_SECRET);
}

export interface AccessClaims {
  userId: string;
  role: string;
  /** The auth session the token was issued under (`sid`); its revocation ends the token too. */
  sessionId?: string;
}

export interface RefreshClaims {
  userId: string;
  sessionId: string;
  generation: number;
}

export async function signAccessToken(claims: AccessClaims): Promise<string> {
  return new SignJWT({ role: claims.role, typ: 'access', ...(claims.sessionId ? { sid: claims.sessionId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(key());
}

export async function signRefreshToken(claims: RefreshClaims, expiresAt: Date): Promise<string> {
  return new SignJWT({ sid: claims.sessionId, gen: claims.generation, typ: 'refresh' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key());
}

async function verify(token: string, typ: 'access' | 'refresh') {
  try {
    const { payload } = await jwtVerify(token, key(), { issuer: ISSUER, algorithms: ['HS256'] });
    if (payload.typ !== typ || typeof payload.sub !== 'string') throw new Error('wrong token type');
    return payload;
  } catch (error) {
    const expired = error instanceof joseErrors.JWTExpired;
    throw new AppError('INVALID_TOKEN', expired ? 'The token has expired.' : 'The token is invalid.');
  }
}

export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const payload = await verify(token, 'access');
  return {
    userId: payload.sub as string,
    role: String(payload.role),
    ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
  };
}

export async function verifyRefreshToken(token: string): Promise<RefreshClaims> {
  const payload = await verify(token, 'refresh');
  if (typeof payload.sid !== 'string' || typeof payload.gen !== 'number') {
    throw new AppError('INVALID_TOKEN', 'The token is invalid.');
  }
  return { userId: payload.sub as string, sessionId: payload.sid, generation: payload.gen };
}
