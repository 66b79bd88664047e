import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  signAccessToken,
  signRefreshToken,
  verifyRefreshToken,
} from '~/auth/tokens.server';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { requireEnabledAccount } from './access.server';
import type { ServiceContext } from './context';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

async function pairFor(user: User, sessionId: string, generation: number, expiresAt: string): Promise<TokenPair> {
  const [accessToken, refreshToken] = await Promise.all([
    signAccessToken({ userId: user.id, role: user.role, sessionId }),
    signRefreshToken({ userId: user.id, sessionId, generation }, new Date(expiresAt)),
  ]);
  return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** A new auth session (one per login on one device) and its first token pair. */
export async function issueTokens(ctx: ServiceContext, user: User): Promise<TokenPair> {
  const expiresAt = new Date(ctx.now().getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000).toISOString();
  const session = await ctx.repos.authSessions.create({ userId: user.id, expiresAt });
  return pairFor(user, session.id, session.generation, expiresAt);
}

const invalid = () => new AppError('INVALID_TOKEN', 'The refresh token is invalid or has been used.');

/**
 * Rotating refresh: each token works once. Presenting an already-used token means it
 * leaked, so the whole session is revoked and the holder must sign in again.
 */
export async function refreshTokens(ctx: ServiceContext, refreshToken: unknown): Promise<TokenPair> {
  if (typeof refreshToken !== 'string' || !refreshToken) {
    throw new AppError('VALIDATION_ERROR', 'refreshToken is required.', {
      fields: { refreshToken: ['refreshToken is required.'] },
    });
  }
  const claims = await verifyRefreshToken(refreshToken);
  const session = await ctx.repos.authSessions.get(claims.sessionId);
  if (!session || session.userId !== claims.userId || session.revoked) throw invalid();
  if (new Date(session.expiresAt) <= ctx.now()) throw invalid();
  const rotated = await ctx.repos.authSessions.rotate(session.id, claims.generation);
  if (!rotated) {
    await ctx.repos.authSessions.revoke(session.id);
    throw invalid();
  }
  const user = await ctx.repos.users.getById(session.userId);
  if (!user) throw invalid();
  requireEnabledAccount(user);
  return pairFor(user, rotated.id, rotated.generation, rotated.expiresAt);
}

/** Logout revokes the session behind the refresh token; a bad token is simply ignored. */
export async function revokeRefreshToken(ctx: ServiceContext, refreshToken: unknown): Promise<void> {
  if (typeof refreshToken !== 'string' || !refreshToken) return;
  try {
    const claims = await verifyRefreshToken(refreshToken);
    const session = await ctx.repos.authSessions.get(claims.sessionId);
    if (session && session.userId === claims.userId) {
      await ctx.repos.authSessions.revoke(session.id);
      await ctx.bus
        .publish({ type: 'session-ended', userId: session.userId, sessionId: session.id })
        .catch(() => undefined);
    }
  } catch {
    // An invalid token has nothing to revoke.
  }
}
