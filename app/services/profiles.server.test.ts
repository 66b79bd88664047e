import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { requestConnection } from './connections.server';
import { getProfile, publicProfile, updateProfile } from './profiles.server';

const world = setupServiceContext();
const { aUser, aClass } = builders(world);

describe('getProfile', () => {
  it('shows email and private fields to self, the instructor and admins; never to a classmate', async () => {
    const { alice, bob, teacher, admin, otherTeacher } = await aClass();
    const mine = await getProfile(world.ctx, alice, undefined);
    expect(mine).toMatchObject({ id: alice.id, email: alice.email, firstName: alice.firstName, role: 'student' });
    expect((await getProfile(world.ctx, teacher, alice.id)).email).toBe(alice.email);
    expect((await getProfile(world.ctx, admin, alice.id)).email).toBe(alice.email);
    const seenByClassmate = await getProfile(world.ctx, bob, alice.id);
    expect(seenByClassmate).toMatchObject({ id: alice.id, firstName: alice.firstName, avatar: null });
    expect(seenByClassmate).not.toHaveProperty('email');
    expect(JSON.stringify(seenByClassmate)).not.toContain(alice.email);
    // Teaching some course is not teaching this student.
    expect(await getProfile(world.ctx, otherTeacher, alice.id)).not.toHaveProperty('email');
    // A student does not see their instructor's email either.
    expect(await getProfile(world.ctx, alice, teacher.id)).not.toHaveProperty('email');
  });

  it('answers 404 for an unknown user and 401 for nobody', async () => {
    const alice = await aUser('student');
    await expectStatus(getProfile(world.ctx, alice, '01JZZZZZZZZZZZZZZZZZZZZZZZ'), 404);
    await expectStatus(getProfile(world.ctx, null, alice.id), 401);
  });
});

describe('updateProfile', () => {
  it('changes names and bio; never role, email or password; empty bio clears it', async () => {
    const alice = await aUser('student', { passwordHash: 'hash-1' });
    const updated = await updateProfile(world.ctx, alice, {
      firstName: '  Alicia ',
      bio: '<script>alert(1)</script>',
      role: 'admin',
      email: 'evil@example.test',
      passwordHash: 'x',
      password: 'y',
    });
    expect(updated).toMatchObject({ firstName: 'Alicia', lastName: alice.lastName, bio: '<script>alert(1)</script>' });
    const stored = await world.ctx.repos.users.getById(alice.id);
    expect(stored).toMatchObject({ role: 'student', email: alice.email, passwordHash: 'hash-1' });
    await updateProfile(world.ctx, stored, { bio: '' });
    expect((await world.ctx.repos.users.getById(alice.id))?.bio).toBeNull();
  });

  it("refuses someone else's profile (403) unless admin; validates lengths", async () => {
    const { alice, bob, admin } = await aClass();
    await expectStatus(updateProfile(world.ctx, bob, { userId: alice.id, firstName: 'Hacked' }), 403);
    expect((await world.ctx.repos.users.getById(alice.id))?.firstName).toBe(alice.firstName);
    const byAdmin = await updateProfile(world.ctx, admin, { userId: alice.id, lastName: 'Renamed' });
    expect(byAdmin.lastName).toBe('Renamed');
    await expectStatus(updateProfile(world.ctx, admin, { userId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', lastName: 'x' }), 404);
    await expectStatus(updateProfile(world.ctx, alice, { bio: 'x'.repeat(1001) }), 400);
    await expectStatus(updateProfile(world.ctx, alice, { firstName: '   ' }), 400);
    await expectStatus(updateProfile(world.ctx, alice, { firstName: 7 }), 400);
    expect((await updateProfile(world.ctx, alice, { bio: 'y'.repeat(1000) })).bio).toHaveLength(1000);
  });
});

describe('publicProfile', () => {
  it('lists shared courses and the connection state for the connect button', async () => {
    const { alice, bob, outsider, course } = await aClass();
    const before = await publicProfile(world.ctx, alice, bob.id);
    expect(before.sharedCourses.map((c) => c.id)).toEqual([course.id]);
    expect(before.mayConnect).toBe(true);
    expect(before.mayMessage).toBe(true);
    expect(before.connection).toBeNull();
    expect(before.profile).not.toHaveProperty('email');
    await requestConnection(world.ctx, alice, { requestedId: bob.id });
    const after = await publicProfile(world.ctx, bob, alice.id);
    expect(after.connection).toMatchObject({ status: 'pending', sentByMe: false });
    expect(after.mayConnect).toBe(false);
    const stranger = await publicProfile(world.ctx, outsider, alice.id);
    expect(stranger.sharedCourses).toEqual([]);
    expect(stranger.mayConnect).toBe(false);
    expect(stranger.mayMessage).toBe(false);
    const self = await publicProfile(world.ctx, alice, alice.id);
    expect(self).toMatchObject({ isSelf: true, mayConnect: false, mayMessage: false });
    expect(self.profile.email).toBe(alice.email);
  });
});
