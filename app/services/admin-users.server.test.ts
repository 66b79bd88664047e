/** Admins change users' roles and access (admin-users.server.ts), on the real adapter. */
import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { updateUserAsAdmin } from './admin-users.server';

const world = setupServiceContext();
const { aClass, aUser } = builders(world);
const inAWeek = () => new Date(world.ctx.now().getTime() + 7 * 86_400_000).toISOString();

async function aSession(userId: string) {
  return world.ctx.repos.authSessions.create({ userId, expiresAt: inAWeek() });
}

describe('changing roles and access', () => {
  it('an admin makes a student an instructor', async () => {
    const { alice, admin } = await aClass();
    const updated = await updateUserAsAdmin(world.ctx, admin, alice.id, { role: 'instructor' });
    expect(updated).toMatchObject({ id: alice.id, role: 'instructor', disabled: false });
    expect(updated).not.toHaveProperty('passwordHash');
    expect((await world.ctx.repos.users.getById(alice.id))?.role).toBe('instructor');
  });

  it('an admin cannot demote or disable themselves', async () => {
    const admin = await aUser('admin');
    await expect(updateUserAsAdmin(world.ctx, admin, admin.id, { role: 'student' })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/your own role/),
    });
    await expect(updateUserAsAdmin(world.ctx, admin, admin.id, { disabled: true })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/your own account/),
    });
    const after = await world.ctx.repos.users.getById(admin.id);
    expect(after).toMatchObject({ role: 'admin', disabledAt: null });
  });

  it('disabling revokes every session of the user; enabling lets them sign in again', async () => {
    const { bob, admin } = await aClass();
    const [phone, laptop] = [await aSession(bob.id), await aSession(bob.id)];
    const mine = await aSession(admin.id);
    const disabled = await updateUserAsAdmin(world.ctx, admin, bob.id, { disabled: 'true' });
    expect(disabled.disabled).toBe(true);
    expect((await world.ctx.repos.users.getById(bob.id))?.disabledAt).toBe(disabled.disabledAt);
    expect(await world.ctx.repos.authSessions.listActiveByUser(bob.id, world.ctx.now().toISOString())).toEqual([]);
    for (const s of [phone, laptop]) expect((await world.ctx.repos.authSessions.get(s.id))?.revoked).toBe(true);
    expect((await world.ctx.repos.authSessions.get(mine.id))?.revoked).toBe(false);
    const enabled = await updateUserAsAdmin(world.ctx, admin, bob.id, { disabled: false });
    expect(enabled).toMatchObject({ disabled: false, disabledAt: null });
  });

  it('bad input is a 400, an unknown user a 404', async () => {
    const { alice, admin } = await aClass();
    await expectStatus(updateUserAsAdmin(world.ctx, admin, alice.id, { role: 'owner' }), 400);
    await expectStatus(updateUserAsAdmin(world.ctx, admin, alice.id, {}), 400);
    await expectStatus(updateUserAsAdmin(world.ctx, admin, 'no-such-user', { role: 'student' }), 404);
  });
});
