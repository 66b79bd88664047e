import { z } from 'zod';
import { hashPassword } from '~/auth/password.server';
import { emailSchema, passwordSchema } from '~/auth/validation';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireCanSendPasswordReset } from './access.server';
import { issueAccountToken } from './account-mail.server';
import { RESET_LINK_INVALID } from './account-messages';
import { parseAccountTokenValue } from './account-tokens.server';
import type { ServiceContext } from './context';

const requestSchema = z.object({ email: emailSchema });
const resetSchema = z.object({
  token: z.string({ error: 'The link is incomplete.' }).trim().min(1, 'The link is incomplete.').max(200),
  password: passwordSchema,
});

/**
 * "Forgot password": the same outcome and the same answer for a known and an unknown address
 * (only a known, enabled account gets a mail), both counted against the address's and the IP's
 * budget so the limit reveals nothing either.
 */
export async function requestPasswordReset(ctx: ServiceContext, input: unknown, clientIp: string): Promise<void> {
  const { email } = parseInput(requestSchema, input);
  await ctx.accountMailLimiter.consume(clientIp, email);
  const user = await ctx.repos.users.getByEmail(email);
  if (!user || user.disabledAt) return;
  await issueAccountToken(ctx, user, 'password-reset');
}

/** An admin sends a user the same reset mail the user could ask for. */
export async function sendPasswordResetMail(ctx: ServiceContext, actor: User | null, userId: string): Promise<void> {
  const user = await ctx.repos.users.getById(userId);
  requireCanSendPasswordReset(actor, user);
  await issueAccountToken(ctx, user!, 'password-reset');
}

/**
 * Sets the new password from a mailed link. The link is single-use; afterwards every session
 * and refresh token of the account is revoked (whoever knew the old password is out), and the
 * address counts as verified: the link was opened from its mailbox.
 */
export async function resetPassword(ctx: ServiceContext, input: unknown): Promise<{ email: string }> {
  const data = parseInput(resetSchema, input);
  const presented = parseAccountTokenValue(data.token);
  if (!presented) throw new AppError('INVALID_LINK', RESET_LINK_INVALID);
  const passwordHash = await hashPassword(data.password);
  const used = await ctx.repos.accountTokens.consume(
    presented.id,
    'password-reset',
    presented.tokenHash,
    ctx.now().toISOString(),
  );
  if (used.status !== 'consumed') throw new AppError('INVALID_LINK', RESET_LINK_INVALID);
  const user = await ctx.repos.users.getById(used.token.userId);
  if (!user || user.disabledAt || user.email !== used.token.email) {
    throw new AppError('INVALID_LINK', RESET_LINK_INVALID);
  }
  await ctx.repos.users.update(user.id, { passwordHash, emailVerified: true });
  await ctx.repos.authSessions.revokeAllForUser(user.id);
  return { email: user.email };
}

/** Whether a reset link looks like one of ours (the page shows the form or the error at once). */
export function isWellFormedResetLink(value: string): boolean {
  return parseAccountTokenValue(value) !== null;
}
