/** Confirming an address (email-verification.server.ts): signup's link, and a change of address, on the real adapter. */
import { describe, expect, it } from 'vitest';
import type { MailEvent, User } from '~/data/repository';
import { expectStatus, setupServiceContext } from '../../tests/service-context';
import { signup } from './accounts.server';
import { accountTokenValue } from './account-tokens.server';
import { requestEmailChange, verifyEmail } from './email-verification.server';

const world = setupServiceContext();
let n = 0;
const address = () => `verify${Date.now().toString(36)}${++n}@example.test`;
const PASSWORD = 'correct horse battery';
const ip = () => `10.1.${n}.${++n % 250}`;

async function person(): Promise<User> {
  return signup(world.ctx, { email: address(), password: PASSWORD, firstName: 'Ada', lastName: 'Byron' });
}

/** The mails queued so far for `userId`, leased so the test reads them once. */
async function queuedMails(userId: string): Promise<MailEvent[]> {
  const entries = await world.ctx.repos.outbox.claimDue(100, 60_000);
  const mails = entries.flatMap((e) => (e.event.topic === 'mail' ? [e.event.mail] : []));
  return mails.filter((m) => m.userId === userId);
}

describe('email verification', () => {
  it('signup queues the confirmation mail; its link confirms the address once', async () => {
    const user = await person();
    expect(user.emailVerified).toBe(false);
    const mail = (await queuedMails(user.id)).find((m) => m.kind === 'verify-email')!;
    const link = accountTokenValue(mail.tokenId);
    expect((await verifyEmail(world.ctx, { token: link })).emailVerified).toBe(true);
    await expectStatus(verifyEmail(world.ctx, { token: link }), 400);
    await expectStatus(verifyEmail(world.ctx, { token: `${mail.tokenId}.nope` }), 400);
  });

  it('a change of address asks the current password, refuses a taken one, and moves the account once confirmed', async () => {
    const user = await person();
    const other = await person();
    const newEmail = address();
    await expectStatus(
      requestEmailChange(world.ctx, user, { email: newEmail, currentPassword: 'wrong one' }, ip()),
      401,
    );
    await expectStatus(
      requestEmailChange(world.ctx, user, { email: other.email, currentPassword: PASSWORD }, ip()),
      409,
    );
    await expectStatus(
      requestEmailChange(world.ctx, user, { email: user.email, currentPassword: PASSWORD }, ip()),
      400,
    );
    expect(await requestEmailChange(world.ctx, user, { email: newEmail, currentPassword: PASSWORD }, ip())).toEqual({
      email: newEmail,
    });
    // Until the link is opened the account keeps its address.
    expect((await world.ctx.repos.users.getById(user.id))!.email).toBe(user.email);
    // The newest confirmation mail is the change's (signup queued the first).
    const mail = (await queuedMails(user.id)).filter((m) => m.kind === 'verify-email').at(-1)!;
    const moved = await verifyEmail(world.ctx, { token: accountTokenValue(mail.tokenId) });
    expect(moved).toMatchObject({ id: user.id, email: newEmail, emailVerified: true });
    expect(await world.ctx.repos.users.getByEmail(user.email)).toBeNull();
  });
});
