import { newId } from '~/data/ids';
import type { AccountToken, AccountTokenPurpose, User } from '~/data/repository';
import { ACCOUNT_TOKEN_LIFETIME_MS, accountTokenSecret, hashAccountTokenSecret } from './account-tokens.server';
import type { ServiceContext } from './context';

/**
 * Issues a mailed token and queues its mail: the older unused tokens of the same purpose stop
 * working (only the newest link counts), the row keeps the secret's hash, and the mail job
 * (app/mail) rebuilds the link from the id when it sends. Verification and change-of-email
 * links are both 'verify-email' mails; a change-of-email one goes to the new address.
 */
export async function issueAccountToken(
  ctx: Pick<ServiceContext, 'repos' | 'now'>,
  user: User,
  purpose: AccountTokenPurpose,
  email: string = user.email,
): Promise<AccountToken> {
  const now = ctx.now();
  await ctx.repos.accountTokens.revokeForUser(user.id, purpose, now.toISOString());
  const id = newId();
  const token = await ctx.repos.accountTokens.create({
    id,
    userId: user.id,
    purpose,
    tokenHash: hashAccountTokenSecret(accountTokenSecret(id)),
    email,
    expiresAt: new Date(now.getTime() + ACCOUNT_TOKEN_LIFETIME_MS[purpose]).toISOString(),
  });
  const kind = purpose === 'password-reset' ? 'password-reset' : 'verify-email';
  await ctx.repos.outbox.enqueue(
    { topic: 'mail', mail: { kind, userId: user.id, tokenId: token.id } },
    { dedupeKey: `mail:token:${token.id}` },
  );
  return token;
}
