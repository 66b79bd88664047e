import { z } from 'zod';
import { verifyPassword } from '~/auth/password.server';
import { emailSchema } from '~/auth/validation';
import { DataConflictError } from '~/data/errors';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireUser } from './access.server';
import { issueAccountToken } from './account-mail.server';
import { VERIFY_LINK_INVALID } from './account-messages';
import { parseAccountTokenValue } from './account-tokens.server';
import type { ServiceContext } from './context';

/** Queues the confirmation mail for the account's current address (signup, "resend"). */
export async function sendVerificationMail(ctx: ServiceContext, user: User): Promise<void> {
  if (user.emailVerified) return;
  await issueAccountToken(ctx, user, 'verify-email');
}

/** "Resend the confirmation mail", budgeted like a reset request. */
export async function resendVerificationMail(ctx: ServiceContext, actor: User | null, clientIp: string) {
  const user = requireUser(actor);
  if (user.emailVerified) return { alreadyVerified: true };
  await ctx.accountMailLimiter.consume(clientIp, user.email);
  await sendVerificationMail(ctx, user);
  return { alreadyVerified: false };
}

const tokenSchema = z.object({
  token: z.string({ error: 'The link is incomplete.' }).trim().min(1, 'The link is incomplete.').max(200),
});

/**
 * Opens a confirmation link: a signup's confirms the address; a change-of-email one moves the
 * account to the new, now confirmed, address (the old one is free again).
 */
export async function verifyEmail(ctx: ServiceContext, input: unknown): Promise<User> {
  const { token } = parseInput(tokenSchema, input);
  const presented = parseAccountTokenValue(token);
  if (!presented) throw new AppError('INVALID_LINK', VERIFY_LINK_INVALID);
  const now = ctx.now().toISOString();
  const stored = await ctx.repos.accountTokens.get(presented.id);
  const purpose = stored?.purpose === 'change-email' ? 'change-email' : 'verify-email';
  const used = await ctx.repos.accountTokens.consume(presented.id, purpose, presented.tokenHash, now);
  if (used.status !== 'consumed') throw new AppError('INVALID_LINK', VERIFY_LINK_INVALID);
  const user = await ctx.repos.users.getById(used.token.userId);
  if (!user || user.disabledAt) throw new AppError('INVALID_LINK', VERIFY_LINK_INVALID);
  if (purpose === 'verify-email') {
    // A link to an address the account has since left confirms nothing.
    if (used.token.email !== user.email) throw new AppError('INVALID_LINK', VERIFY_LINK_INVALID);
    return user.emailVerified ? user : ctx.repos.users.update(user.id, { emailVerified: true });
  }
  try {
    return await ctx.repos.users.changeEmail(user.id, used.token.email, true);
  } catch (error) {
    if (error instanceof DataConflictError) {
      throw new AppError('EMAIL_TAKEN', 'That address is now used by another account, so it cannot be moved to yours.');
    }
    throw error;
  }
}

const changeSchema = z.object({
  email: emailSchema,
  currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(128),
});

/**
 * A new address, confirmed before it counts: asks the current password (a borrowed signed-in
 * browser cannot move the account), refuses a taken address, and mails the NEW address a link;
 * the account keeps its address until the link is opened.
 */
export async function requestEmailChange(
  ctx: ServiceContext,
  actor: User | null,
  input: unknown,
  clientIp: string,
): Promise<{ email: string }> {
  const user = requireUser(actor);
  const data = parseInput(changeSchema, input);
  if (!user.passwordHash) {
    throw new AppError(
      'VALIDATION_ERROR',
      'This account signs in through your school, so its address is managed there.',
    );
  }
  await ctx.loginLimiter.beforeAttempt(clientIp, user.email);
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    await ctx.loginLimiter.recordFailure(user.email);
    throw new AppError('INVALID_CREDENTIALS', 'That is not your current password.', {
      fields: { currentPassword: ['That is not your current password.'] },
    });
  }
  if (data.email === user.email) {
    throw new AppError('VALIDATION_ERROR', 'That is already your address.', {
      fields: { email: ['That is already your address.'] },
    });
  }
  if (await ctx.repos.users.getByEmail(data.email)) {
    throw new AppError('EMAIL_TAKEN', 'An account with this email already exists.', {
      fields: { email: ['An account with this email already exists.'] },
    });
  }
  await ctx.accountMailLimiter.consume(clientIp, data.email);
  await issueAccountToken(ctx, user, 'change-email', data.email);
  return { email: data.email };
}
