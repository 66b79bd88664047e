/**
 * The mail job end to end on the real adapter (PGlite) and a real SMTP server: the outbox
 * runner delivers 'notification' entries (which queue mail) and 'mail' entries (which send).
 */
import { newId } from '~/data/ids';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailPreferences, User } from '~/data/repository';
import { createJobs, type Jobs } from '~/jobs/index.server';
import { gradeSubmission } from '~/services/grading.server';
import { describeUnsubscribe, unsubscribe } from '~/services/mail-preferences.server';
import { startSmtpMailbox, type SmtpMailbox } from '../../tests/smtp-mailbox';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { deliverMail, mailMessageId } from './deliver.server';
import { queueNotificationMail } from './notification-mail';
import { createMailTransport, type MailTransport } from './transport.server';
import { createUnsubscribeToken, UNSUBSCRIBE_TOKEN_LIFETIME_SECONDS } from './unsubscribe-tokens.server';

const world = setupServiceContext();
const { aClass, aSubmission, aUser } = builders(world);

let mailbox: SmtpMailbox;
let transport: MailTransport;
let jobs: Jobs;

const deps = () => ({ repos: world.ctx.repos, transport, appUrl: world.ctx.settings.appUrl, now: world.ctx.now });

beforeAll(async () => {
  mailbox = await startSmtpMailbox();
  transport = createMailTransport({ smtpUrl: mailbox.url, from: 'ClassCast <no-reply@classcast.test>', dataDir: '.' });
  jobs = createJobs(world.ctx, {
    pollMs: 0,
    retry: { baseMs: 1, maxMs: 1 },
    effects: {
      mail: async (entryId, mail) => {
        await deliverMail(deps(), entryId, mail);
      },
    },
  });
});
afterAll(async () => {
  await jobs.stop();
  transport.close();
  await mailbox.stop();
});
beforeEach(() => {
  mailbox.refuse(false);
  world.clock.reset();
});

const mailsTo = (user: User) => mailbox.mails.filter((m) => m.envelopeTo.includes(user.email));

async function verified(user: User, prefs: Partial<MailPreferences> = {}): Promise<User> {
  return world.ctx.repos.users.update(user.id, {
    emailVerified: true,
    mailPreferences: { ...user.mailPreferences, ...prefs },
  });
}

const HOSTILE_TITLE = `<script>alert("x")</script> & 'quotes'`;

async function gradedClass(prefs: Partial<MailPreferences> = {}, verify = true) {
  const c = await aClass({ title: HOSTILE_TITLE, maxScore: 10 });
  const alice = verify ? await verified(c.alice, prefs) : c.alice;
  const submission = await aSubmission(alice, c.assignment);
  return { ...c, alice, submission };
}

async function settle() {
  // Twice: the first pass queues mail from notifications, the second sends it.
  await jobs.runNow();
  await jobs.runNow();
}

describe('grade → mail', () => {
  it('mails the student once, with the escaped title and a one-click unsubscribe', async () => {
    const { teacher, alice, submission } = await gradedClass();
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 8 });
    await settle();
    const mail = await mailbox.waitForMail({ to: alice.email });
    expect(mail.subject).toBe(`Graded: ${HOSTILE_TITLE}`);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(mail.text).toContain('You scored 8 / 10');
    expect(mail.links).toContain(`${world.ctx.settings.appUrl}/submissions/${submission.id}`);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const unsubscribeLink = mail.links.find((l) => l.includes('/unsubscribe?token='));
    expect(unsubscribeLink).toBeDefined();
    expect(mail.headers['list-unsubscribe']).toContain(unsubscribeLink);
    await settle();
    expect(mailsTo(alice)).toHaveLength(1);
  });

  it('sends nothing when the grades preference is off', async () => {
    const { teacher, alice, submission } = await gradedClass({ grades: false });
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 5 });
    await settle();
    expect(mailsTo(alice)).toHaveLength(0);
  });

  it('sends nothing to an unverified or a disabled student', async () => {
    const unverified = await gradedClass({}, false);
    await gradeSubmission(world.ctx, unverified.teacher, unverified.submission.id, { grade: 5 });
    const disabled = await gradedClass();
    await world.ctx.repos.users.update(disabled.alice.id, { disabledAt: new Date().toISOString() });
    await gradeSubmission(world.ctx, disabled.teacher, disabled.submission.id, { grade: 5 });
    await settle();
    expect(mailsTo(unverified.alice)).toHaveLength(0);
    expect(mailsTo(disabled.alice)).toHaveLength(0);
  });

  it('reads the preference at send time: turned off after queueing, no mail', async () => {
    const { teacher, alice, submission } = await gradedClass();
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 5 });
    // The mail queued while grades were on (as the notification job would), then turned off.
    const [note] = (await world.ctx.repos.notifications.listByRecipient(alice.id)).items;
    const queued = await queueNotificationMail(
      { users: world.ctx.repos.users, outbox: world.ctx.repos.outbox },
      { notificationId: note!.id, recipientId: alice.id, type: note!.type, createdAt: note!.createdAt },
    );
    expect(queued).toBe('notification');
    await world.ctx.repos.users.update(alice.id, { mailPreferences: { ...alice.mailPreferences, grades: false } });
    await settle();
    expect(mailsTo(alice)).toHaveLength(0);
  });
});

describe('one mail per event', () => {
  it('the same notification delivered twice queues one mail', async () => {
    const { teacher, alice, submission } = await gradedClass();
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 9 });
    const [note] = (await world.ctx.repos.notifications.listByRecipient(alice.id)).items;
    const delivered = { notificationId: note!.id, recipientId: alice.id, type: note!.type, createdAt: note!.createdAt };
    const mail = { users: world.ctx.repos.users, outbox: world.ctx.repos.outbox };
    // The handler running again (a redelivered stream record, a retried entry) queues nothing new.
    await queueNotificationMail(mail, delivered);
    await settle();
    await queueNotificationMail(mail, delivered);
    await settle();
    expect(mailsTo(alice)).toHaveLength(1);
  });

  it('SMTP refusing: the grade stands, the entry is retried, the mail arrives once after recovery', async () => {
    const { teacher, alice, submission } = await gradedClass();
    mailbox.refuse(true);
    const graded = await gradeSubmission(world.ctx, teacher, submission.id, { grade: 7 });
    expect(graded.grade).toBe(7);
    await settle();
    expect(mailsTo(alice)).toHaveLength(0);
    expect(await world.ctx.repos.outbox.countPending('mail')).toBeGreaterThanOrEqual(1);
    mailbox.refuse(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    await mailbox.waitForMail({ to: alice.email });
    await settle();
    expect(mailsTo(alice)).toHaveLength(1);
    expect((await world.ctx.repos.submissions.getById(submission.id))?.grade).toBe(7);
  });

  it('a retried send carries the same Message-ID', () => {
    expect(mailMessageId('01ABC', 'http://127.0.0.1:3000')).toBe('<01ABC.mail@127.0.0.1>');
  });
});

describe('digest', () => {
  it('queues other notifications into the day’s digest, which lists them', async () => {
    const student = await verified(await aUser('student', { firstName: 'Dina' }), { digest: true });
    const [first, second] = await world.ctx.repos.notifications.createMany([
      {
        recipientId: student.id,
        senderId: null,
        senderName: 'Ana <b>',
        type: 'comment',
        title: 'New comment <i>',
        message: 'Nice & clear',
        relatedId: null,
        relatedType: null,
        actionUrl: '/feed',
      },
      {
        recipientId: student.id,
        senderId: null,
        senderName: null,
        type: 'assignment_published',
        title: 'New assignment',
        message: 'Due Friday',
        relatedId: null,
        relatedType: null,
        actionUrl: null,
      },
    ]);
    const before = await world.ctx.repos.outbox.countPending('mail');
    await jobs.runNow();
    // One digest for the day, not due before the day ends.
    expect(await world.ctx.repos.outbox.countPending('mail')).toBe(before + 1);
    expect(mailsTo(student)).toHaveLength(0);
    const day = first!.createdAt.slice(0, 10);
    const outcome = await deliverMail(deps(), 'digest-test-entry', { kind: 'digest', userId: student.id, day });
    expect(outcome).toEqual({ sent: true, to: student.email });
    const mail = await mailbox.waitForMail({ to: student.email, subject: 'digest' });
    expect(mail.text).toContain('New comment <i>');
    expect(mail.text).toContain(second!.title);
    expect(mail.html).toContain('New comment &lt;i&gt;');
    expect(mail.html).not.toContain('<i>');
    expect(mail.links.some((l) => l.includes('/unsubscribe?token='))).toBe(true);
  });

  it('sends nothing for a day without notifications, or with the digest off', async () => {
    const student = await verified(await aUser('student'), { digest: true });
    expect(await deliverMail(deps(), 'e1', { kind: 'digest', userId: student.id, day: '2020-01-01' })).toMatchObject({
      sent: false,
    });
    await world.ctx.repos.users.update(student.id, { mailPreferences: { ...student.mailPreferences, digest: false } });
    const today = new Date().toISOString().slice(0, 10);
    expect(await deliverMail(deps(), 'e2', { kind: 'digest', userId: student.id, day: today })).toMatchObject({
      sent: false,
    });
  });
});

describe('account mails', () => {
  async function aToken(
    user: User,
    purpose: 'password-reset' | 'verify-email' | 'change-email',
    over: { email?: string; expiresInMs?: number } = {},
  ) {
    return world.ctx.repos.accountTokens.create({
      id: newId(),
      userId: user.id,
      purpose,
      tokenHash: 'not-checked-by-the-sender',
      email: over.email ?? user.email,
      expiresAt: new Date(Date.now() + (over.expiresInMs ?? 30 * 60_000)).toISOString(),
    });
  }

  it('verified and unverified users get reset and verification mail (account mails)', async () => {
    const user = await verified(await aUser('student'));
    const token = await aToken(user, 'password-reset');
    await world.ctx.repos.outbox.enqueue(
      { topic: 'mail', mail: { kind: 'password-reset', userId: user.id, tokenId: token.id } },
      { dedupeKey: `mail:token:${token.id}` },
    );
    await settle();
    const mail = await mailbox.waitForMail({ to: user.email, subject: 'Reset your ClassCast password' });
    expect(mail.links.some((l) => l.includes(`/reset-password/${token.id}.`))).toBe(true);

    // Account mails reach an unverified address too: a reset link proves the mailbox.
    const fresh = await aUser('student');
    const reset = await aToken(fresh, 'password-reset');
    expect(await deliverMail(deps(), 'e3', { kind: 'password-reset', userId: fresh.id, tokenId: reset.id })).toEqual({
      sent: true,
      to: fresh.email,
    });
    const verify = await aToken(fresh, 'verify-email');
    expect(await deliverMail(deps(), 'e4', { kind: 'verify-email', userId: fresh.id, tokenId: verify.id })).toEqual({
      sent: true,
      to: fresh.email,
    });
    const verification = await mailbox.waitForMail({
      to: fresh.email,
      subject: 'Confirm your ClassCast email address',
    });
    expect(verification.links.some((l) => l.includes(`/verify-email/${verify.id}.`))).toBe(true);
  });

  it('a change of email is confirmed at the NEW address', async () => {
    const user = await verified(await aUser('student'));
    const token = await aToken(user, 'change-email', { email: `new-${user.email}` });
    expect(await deliverMail(deps(), 'e5', { kind: 'verify-email', userId: user.id, tokenId: token.id })).toEqual({
      sent: true,
      to: `new-${user.email}`,
    });
    await mailbox.waitForMail({ to: `new-${user.email}`, subject: 'Confirm your new ClassCast email address' });
    expect(mailsTo(user)).toHaveLength(0);
  });

  it('used, expired, foreign or mismatched tokens send nothing', async () => {
    const user = await verified(await aUser('student'));
    const other = await verified(await aUser('student'));
    const expired = await aToken(user, 'password-reset', { expiresInMs: -1000 });
    const used = await aToken(user, 'password-reset');
    await world.ctx.repos.accountTokens.revokeForUser(user.id, 'password-reset', new Date().toISOString());
    const foreign = await aToken(other, 'password-reset');
    const verification = await aToken(user, 'verify-email');
    for (const [kind, tokenId] of [
      ['password-reset', expired.id],
      ['password-reset', used.id],
      ['password-reset', foreign.id],
      ['password-reset', verification.id],
      ['verify-email', 'no-such-token'],
    ] as const) {
      expect(await deliverMail(deps(), 'e6', { kind, userId: user.id, tokenId })).toMatchObject({ sent: false });
    }
    expect(mailsTo(user)).toHaveLength(0);
  });
});

describe('unsubscribe', () => {
  it('turns the one preference off, and again is harmless', async () => {
    const user = await verified(await aUser('student'));
    const token = await createUnsubscribeToken({ userId: user.id, preference: 'grades' }, new Date());
    expect(await describeUnsubscribe(world.ctx, token)).toMatchObject({ preference: 'grades', alreadyOff: false });
    await unsubscribe(world.ctx, token);
    await unsubscribe(world.ctx, token);
    const after = await world.ctx.repos.users.getById(user.id);
    expect(after?.mailPreferences).toEqual({ ...user.mailPreferences, grades: false });
    expect(await describeUnsubscribe(world.ctx, token)).toMatchObject({ alreadyOff: true });
  });

  it('refuses tampered, expired and missing tokens with a 400', async () => {
    const user = await verified(await aUser('student'));
    const token = await createUnsubscribeToken({ userId: user.id, preference: 'messages' }, new Date());
    await expectStatus(unsubscribe(world.ctx, `${token.slice(0, -3)}abc`), 400);
    await expectStatus(unsubscribe(world.ctx, ''), 400);
    await expectStatus(describeUnsubscribe(world.ctx, undefined), 400);
    world.clock.advance((UNSUBSCRIBE_TOKEN_LIFETIME_SECONDS + 60) * 1000);
    await expectStatus(unsubscribe(world.ctx, token), 400);
    world.clock.reset();
    expect((await world.ctx.repos.users.getById(user.id))?.mailPreferences.messages).toBe(true);
  });
});
