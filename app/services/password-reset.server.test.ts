import { describe, expect, it } from 'vitest';
import { createAccountMailLimiter } from '~/auth/account-mail-limiter.server';
import { verifyPassword } from '~/auth/password.server';
import type { MailEvent, User } from '~/data/repository';
import { expectStatus, setupServiceContext } from '../../tests/service-context';
import { createUserWithRole, login, signup } from './accounts.server';
import { accountTokenValue } from './account-tokens.server';
import { issueTokens, refreshTokens } from './auth-tokens.server';
import { requestPasswordReset, resetPassword, sendPasswordResetMail } from './password-reset.server';

const world = setupServiceContext();
let n = 0;
const address = () => `reset${Date.now().toString(36)}${++n}@example.test`;
const PASSWORD = 'correct horse battery';
const ip = () => `10.0.${n}.${++n % 250}`;

async function person(): Promise<User> {
  return signup(world.ctx, { email: address(), password: PASSWORD, firstName: 'Ada', lastName: 'Byron' });
}

/** The mails queued so far for `userId`, leased so the test reads them once. */
async function queuedMails(userId: string): Promise<MailEvent[]> {
  const entries = await world.ctx.repos.outbox.claimDue(100, 60_000);
  const mails = entries.flatMap((e) => (e.event.topic === 'mail' ? [e.event.mail] : []));
  return mails.filter((m) => m.userId === userId);
}

async function resetLinkFor(user: User): Promise<string> {
  await requestPasswordReset(world.ctx, { email: user.email }, ip());
  const mail = (await queuedMails(user.id)).find((m) => m.kind === 'password-reset');
  if (!mail || mail.kind !== 'password-reset') throw new Error('no reset mail queued');
  return accountTokenValue(mail.tokenId);
}

describe('password reset', () => {
  it('queues one reset mail for a known address and nothing for an unknown one, with the same outcome', async () => {
    const user = await person();
    await queuedMails(user.id); // the signup's verification mail
    await expect(requestPasswordReset(world.ctx, { email: user.email.toUpperCase() }, ip())).resolves.toBeUndefined();
    await expect(requestPasswordReset(world.ctx, { email: address() }, ip())).resolves.toBeUndefined();
    const mails = await queuedMails(user.id);
    expect(mails.map((m) => m.kind)).toEqual(['password-reset']);
  });

  it('sets the new password once, revokes every session and refresh token, and confirms the address', async () => {
    const user = await person();
    const { refreshToken } = await issueTokens(world.ctx, user);
    const link = await resetLinkFor(user);
    await resetPassword(world.ctx, { token: link, password: 'a brand new secret' });
    const after = (await world.ctx.repos.users.getById(user.id))!;
    expect(await verifyPassword('a brand new secret', after.passwordHash)).toBe(true);
    expect(after.emailVerified).toBe(true);
    await expectStatus(refreshTokens(world.ctx, refreshToken), 401);
    await expectStatus(login(world.ctx, { email: user.email, password: PASSWORD }, ip()), 401);
    await expect(login(world.ctx, { email: user.email, password: 'a brand new secret' }, ip())).resolves.toMatchObject({
      id: user.id,
    });
    // Single use: the same link again is refused, and the password stays.
    await expectStatus(resetPassword(world.ctx, { token: link, password: 'yet another secret' }), 400);
  });

  it('refuses an expired, a tampered, a malformed and a superseded link', async () => {
    const user = await person();
    const first = await resetLinkFor(user);
    const second = await resetLinkFor(user);
    // Only the newest link counts.
    await expectStatus(resetPassword(world.ctx, { token: first, password: 'a brand new secret' }), 400);
    const tampered = second.slice(0, -2) + (second.endsWith('AA') ? 'BB' : 'AA');
    await expectStatus(resetPassword(world.ctx, { token: tampered, password: 'a brand new secret' }), 400);
    await expectStatus(resetPassword(world.ctx, { token: 'not-a-link', password: 'a brand new secret' }), 400);
    // A token for another purpose (the signup's confirmation) is no reset link.
    const fresh = await person();
    const verification = (await queuedMails(fresh.id)).find((m) => m.kind === 'verify-email')!;
    await expectStatus(
      resetPassword(world.ctx, { token: accountTokenValue(verification.tokenId), password: 'a brand new secret' }),
      400,
    );
    world.clock.advance(31 * 60_000);
    try {
      await expectStatus(resetPassword(world.ctx, { token: second, password: 'a brand new secret' }), 400);
    } finally {
      world.clock.reset();
    }
    // A too-short password is a field error, and the link is not used up by it.
    const third = await resetLinkFor(user);
    await expectStatus(resetPassword(world.ctx, { token: third, password: 'short' }), 400);
    await resetPassword(world.ctx, { token: third, password: 'a brand new secret' });
  });

  it('limits requests per address, known or not, with 429', async () => {
    // The production budgets (the shared test context's are lifted).
    const ctx = { ...world.ctx, accountMailLimiter: createAccountMailLimiter() };
    const unknown = address();
    for (let i = 0; i < 5; i += 1) await requestPasswordReset(ctx, { email: unknown }, ip());
    await expectStatus(requestPasswordReset(ctx, { email: unknown }, ip()), 429);
    const known = await person();
    for (let i = 0; i < 5; i += 1) await requestPasswordReset(ctx, { email: known.email }, ip());
    await expectStatus(requestPasswordReset(ctx, { email: known.email }, ip()), 429);
  });

  it('a disabled account gets no reset mail and cannot use an earlier link', async () => {
    const user = await person();
    const link = await resetLinkFor(user);
    await world.ctx.repos.users.update(user.id, { disabledAt: new Date().toISOString() });
    await requestPasswordReset(world.ctx, { email: user.email }, ip());
    expect(await queuedMails(user.id)).toEqual([]);
    await expectStatus(resetPassword(world.ctx, { token: link, password: 'a brand new secret' }), 400);
    await expectStatus(login(world.ctx, { email: user.email, password: PASSWORD }, ip()), 403);
  });

  it('an admin may send a user the reset mail; nobody else may', async () => {
    const admin = await createUserWithRole(world.ctx, {
      email: address(),
      password: PASSWORD,
      firstName: 'Root',
      lastName: 'Admin',
      role: 'admin',
    });
    const user = await person();
    const other = await person();
    await queuedMails(user.id);
    await expectStatus(sendPasswordResetMail(world.ctx, other, user.id), 403);
    await expectStatus(sendPasswordResetMail(world.ctx, admin, 'nobody'), 404);
    await sendPasswordResetMail(world.ctx, admin, user.id);
    expect((await queuedMails(user.id)).map((m) => m.kind)).toEqual(['password-reset']);
  });
});
