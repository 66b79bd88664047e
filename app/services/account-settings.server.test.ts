import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '~/auth/password.server';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  changeName,
  changePassword,
  deleteMyAccount,
  deletedUserEmail,
  deviceLabel,
  listMySessions,
  signOutOtherSessions,
  signOutSession,
  updateMailPreferences,
} from './account-settings.server';

const world = setupServiceContext();
const { aUser, aClass, aCourse, aSubmission } = builders(world);
const DAY_MS = 86_400_000;

const expiresAt = () => new Date(world.ctx.now().getTime() + DAY_MS).toISOString();
const newSession = (userId: string, userAgent: string | null = null) =>
  world.ctx.repos.authSessions.create({ userId, expiresAt: expiresAt(), userAgent });

async function withPassword(password: string) {
  return aUser('student', { passwordHash: await hashPassword(password) });
}

describe('changeName', () => {
  it('changes only the actor; a body userId is ignored', async () => {
    const alice = await aUser('student');
    const bob = await aUser('student');
    const updated = await changeName(world.ctx, alice, { firstName: 'Alicia', lastName: 'Keys', userId: bob.id });
    expect(updated).toMatchObject({ id: alice.id, firstName: 'Alicia', lastName: 'Keys' });
    expect((await world.ctx.repos.users.getById(bob.id))?.firstName).toBe(bob.firstName);
  });

  it('refuses a blank name with 400 and nobody with 401', async () => {
    const alice = await aUser('student');
    await expectStatus(changeName(world.ctx, alice, { firstName: '  ', lastName: 'X' }), 400);
    await expectStatus(changeName(world.ctx, null, { firstName: 'A', lastName: 'B' }), 401);
  });
});

describe('changePassword', () => {
  it('needs the right current password; a wrong one is a field error and nothing changes', async () => {
    const user = await withPassword('old-password-1');
    await expect(
      changePassword(world.ctx, user, null, { currentPassword: 'nope-nope', newPassword: 'new-password-1' }),
    ).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      details: { fields: { currentPassword: expect.any(Array) } },
    });
    const stored = await world.ctx.repos.users.getById(user.id);
    expect(await verifyPassword('old-password-1', stored!.passwordHash)).toBe(true);
  });

  it('applies the signup rule to the new password', async () => {
    const user = await withPassword('old-password-1');
    await expectStatus(
      changePassword(world.ctx, user, null, { currentPassword: 'old-password-1', newPassword: 'short' }),
      400,
    );
  });

  it('sets the new password and signs out every other session, keeping this one', async () => {
    const user = await withPassword('old-password-1');
    const here = await newSession(user.id);
    const other = await newSession(user.id);
    const result = await changePassword(world.ctx, user, here.id, {
      currentPassword: 'old-password-1',
      newPassword: 'new-password-1',
    });
    expect(result.revokedSessions).toBe(1);
    expect((await world.ctx.repos.authSessions.get(here.id))?.revoked).toBe(false);
    expect((await world.ctx.repos.authSessions.get(other.id))?.revoked).toBe(true);
    const stored = await world.ctx.repos.users.getById(user.id);
    expect(await verifyPassword('new-password-1', stored!.passwordHash)).toBe(true);
  });

  it('tells a passwordless account there is no password to change', async () => {
    const user = await aUser('student');
    await expect(
      changePassword(world.ctx, user, null, { currentPassword: 'x', newPassword: 'new-password-1' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('without a ClassCast password') });
  });

  it('is rate limited after five wrong current passwords', async () => {
    const user = await withPassword('old-password-1');
    const wrong = { currentPassword: 'wrong-one', newPassword: 'new-password-1' };
    for (let i = 0; i < 5; i++) await expectStatus(changePassword(world.ctx, user, null, wrong), 401);
    await expect(
      changePassword(world.ctx, user, null, { currentPassword: 'old-password-1', newPassword: 'new-password-1' }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('updateMailPreferences', () => {
  it('saves form checkboxes and JSON booleans for the actor only', async () => {
    const alice = await aUser('student');
    expect(await updateMailPreferences(world.ctx, alice, { grades: 'on', digest: 'on' })).toEqual({
      grades: true,
      messages: false,
      announcements: false,
      digest: true,
    });
    expect(
      await updateMailPreferences(world.ctx, alice, {
        grades: false,
        messages: true,
        announcements: true,
        digest: false,
      }),
    ).toEqual({ grades: false, messages: true, announcements: true, digest: false });
    await expectStatus(updateMailPreferences(world.ctx, alice, { grades: 'maybe' }), 400);
    await expectStatus(updateMailPreferences(world.ctx, null, {}), 401);
  });
});

describe('sessions', () => {
  it('lists own active sessions with a device label and marks this device', async () => {
    const user = await aUser('student');
    const here = await newSession(user.id, 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    await newSession(user.id, null);
    const someoneElse = await aUser('student');
    await newSession(someoneElse.id);
    const sessions = await listMySessions(world.ctx, user, here.id);
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.id === here.id)).toMatchObject({ current: true, device: 'Firefox on Linux' });
    expect(sessions.find((s) => s.id !== here.id)).toMatchObject({ current: false, device: 'Unknown device' });
  });

  it('signs out everywhere else', async () => {
    const user = await aUser('student');
    const here = await newSession(user.id);
    await newSession(user.id);
    await newSession(user.id);
    expect(await signOutOtherSessions(world.ctx, user, here.id)).toEqual({ revokedSessions: 2 });
    expect((await listMySessions(world.ctx, user, here.id)).map((s) => s.id)).toEqual([here.id]);
  });

  it('signs out one own session; another user’s session id is 404 and stays signed in', async () => {
    const user = await aUser('student');
    const mine = await newSession(user.id);
    const intruder = await aUser('student');
    await expectStatus(signOutSession(world.ctx, intruder, mine.id), 404);
    expect((await world.ctx.repos.authSessions.get(mine.id))?.revoked).toBe(false);
    await expectStatus(signOutSession(world.ctx, user, 'no-such-session'), 404);
    await signOutSession(world.ctx, user, mine.id);
    expect((await world.ctx.repos.authSessions.get(mine.id))?.revoked).toBe(true);
  });

  it('names common browsers', () => {
    expect(
      deviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0')).toBe(
      'Edge on Windows',
    );
  });
});

describe('deleteMyAccount', () => {
  it('needs the confirm step', async () => {
    const user = await aUser('student');
    await expectStatus(deleteMyAccount(world.ctx, user, {}), 400);
    await expectStatus(deleteMyAccount(world.ctx, user, { confirm: 'yes' }), 400);
    expect((await world.ctx.repos.users.getById(user.id))?.disabledAt).toBeNull();
  });

  it('anonymises the account, signs it out everywhere and keeps its submissions', async () => {
    const { alice, assignment } = await aClass();
    const submission = await aSubmission(alice, assignment);
    const session = await newSession(alice.id);
    await world.ctx.repos.users.update(alice.id, { bio: 'hello', avatar: 'avatars/a.png' });
    await deleteMyAccount(world.ctx, alice, { confirm: 'DELETE' });
    const gone = await world.ctx.repos.users.getById(alice.id);
    expect(gone).toMatchObject({
      firstName: 'Deleted',
      lastName: 'user',
      email: deletedUserEmail(alice.id),
      passwordHash: null,
      avatar: null,
      bio: null,
      mailPreferences: { grades: false, messages: false, announcements: false, digest: false },
    });
    expect(gone?.disabledAt).not.toBeNull();
    expect(await world.ctx.repos.users.getByEmail(alice.email)).toBeNull();
    expect((await world.ctx.repos.authSessions.get(session.id))?.revoked).toBe(true);
    expect(await world.ctx.repos.submissions.getById(submission.id)).toMatchObject({ studentId: alice.id });
  });

  it('refuses an instructor who still teaches a course', async () => {
    const teacher = await aUser('instructor');
    await aCourse(teacher);
    await expectStatus(deleteMyAccount(world.ctx, teacher, { confirm: 'DELETE' }), 403);
    expect((await world.ctx.repos.users.getById(teacher.id))?.disabledAt).toBeNull();
  });

  it('is 401 for nobody', async () => {
    await expectStatus(deleteMyAccount(world.ctx, null, { confirm: 'DELETE' }), 401);
  });
});
