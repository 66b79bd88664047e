import { roleFromGroups, type CognitoIdentity } from '~/auth/cognito-identity';
import { DataConflictError } from '~/data/errors';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { requireEnabledAccount } from './access.server';
import type { ServiceContext } from './context';

/** Names as long as signup allows. */
const MAX_NAME = 80;

const EMAIL_IN_USE =
  'An account with this email already exists. Sign in with its password; ask an administrator to link it to your school account.';

/**
 * The user a Cognito sign-in stands for (docs/decisions/019-cognito-sign-in.md):
 * - known sub → that user, its role brought in line with the pool's groups;
 * - unknown sub, a local account with the email → linked only when the pool says the email
 *   is verified (else anyone who can put an address on a pool account takes the local one);
 * - otherwise a new user, without a password.
 */
export async function signInWithCognito(ctx: ServiceContext, identity: CognitoIdentity): Promise<User> {
  const role = roleFromGroups(identity.groups);
  const known = await ctx.repos.users.getByCognitoSub(identity.sub);
  if (known) return withRole(ctx, known, role);
  const email = identity.email.trim();
  if (!email) throw new AppError('FORBIDDEN', 'Your school account has no email address, which ClassCast needs.');
  const local = await ctx.repos.users.getByEmail(email);
  if (local) return linkLocalAccount(ctx, local, identity, role);
  try {
    return await ctx.repos.users.create({
      email,
      firstName: clip(identity.givenName) || clip(identity.username) || email.split('@')[0],
      lastName: clip(identity.familyName),
      role,
      passwordHash: null,
      emailVerified: identity.emailVerified,
      cognitoSub: identity.sub,
    });
  } catch (error) {
    // A parallel first sign-in of the same person (two tabs) made the row first: use it.
    if (error instanceof DataConflictError) {
      const raced = await ctx.repos.users.getByCognitoSub(identity.sub);
      if (raced) return withRole(ctx, raced, role);
      throw new AppError('EMAIL_TAKEN', EMAIL_IN_USE);
    }
    throw error;
  }
}

async function linkLocalAccount(ctx: ServiceContext, local: User, identity: CognitoIdentity, role: User['role']) {
  if (!identity.emailVerified) throw new AppError('EMAIL_TAKEN', EMAIL_IN_USE);
  if (local.cognitoSub && local.cognitoSub !== identity.sub) {
    throw new AppError('EMAIL_TAKEN', 'This email belongs to an account linked to another school sign-in.');
  }
  try {
    const linked = await ctx.repos.users.linkCognitoSub(local.id, identity.sub);
    return withRole(ctx, linked, role);
  } catch (error) {
    if (error instanceof DataConflictError) throw new AppError('EMAIL_TAKEN', EMAIL_IN_USE);
    throw error;
  }
}

/** The pool is the source of truth for the role of anyone who signs in through it. */
async function withRole(ctx: ServiceContext, user: User, role: User['role']): Promise<User> {
  requireEnabledAccount(user);
  return user.role === role ? user : ctx.repos.users.update(user.id, { role });
}

function clip(value: string | null): string {
  return (value ?? '').trim().slice(0, MAX_NAME);
}
