import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '~/data/errors';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { adminDirectoryPage, listUsers } from './directory.server';

const world = setupServiceContext();
const { aUser, aCourse, aClass } = builders(world);

describe('listUsers', () => {
  it('shows a student only the people they share a course with, without emails', async () => {
    const { alice, bob, teacher, outsider } = await aClass();
    const { users, nextCursor } = await listUsers(world.ctx, alice, {});
    expect(users.map((u) => u.id).sort()).toEqual([bob.id, teacher.id].sort());
    expect(users.some((u) => u.id === outsider.id)).toBe(false);
    expect(JSON.stringify(users)).not.toMatch(/@example\.test/);
    expect(nextCursor).toBeNull();
  });

  it("shows an instructor their students' emails, and finds them by email", async () => {
    const { alice, bob, teacher } = await aClass();
    const { users } = await listUsers(world.ctx, teacher, {});
    expect(users.find((u) => u.id === alice.id)?.email).toBe(alice.email);
    const byEmail = await listUsers(world.ctx, teacher, { q: bob.email.toUpperCase() });
    expect(byEmail.users.map((u) => u.id)).toEqual([bob.id]);
    // Students cannot find a classmate by an email they may not see.
    expect((await listUsers(world.ctx, alice, { q: bob.email })).users).toEqual([]);
  });

  it('pages the circle in name order with an opaque cursor, and filters by role', async () => {
    const teacher = await aUser('instructor');
    const me = await aUser('student');
    const others = await Promise.all(
      ['Cara', 'Abe', 'Bea'].map((firstName) => aUser('student', { firstName, lastName: 'Same' })),
    );
    await aCourse(teacher, [me, ...others]);
    const first = await listUsers(world.ctx, me, { role: 'student' }, { limit: 2 });
    expect(first.users.map((u) => u.firstName)).toEqual(['Abe', 'Bea']);
    expect(first.nextCursor).toBeTruthy();
    const second = await listUsers(world.ctx, me, { role: 'student' }, { limit: 2, cursor: first.nextCursor });
    expect(second.users.map((u) => u.firstName)).toEqual(['Cara']);
    expect(second.nextCursor).toBeNull();
    await expect(listUsers(world.ctx, me, {}, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expectStatus(listUsers(world.ctx, me, { role: 'owner' }), 400);
  });

  it('lets admins search everyone by name or email, with emails', async () => {
    const admin = await aUser('admin');
    const lonely = await aUser('student', { firstName: 'Zebulon', lastName: 'Quirke' });
    const byName = await listUsers(world.ctx, admin, { q: 'zebulon qui' });
    expect(byName.users.map((u) => u.id)).toEqual([lonely.id]);
    expect(byName.users[0].email).toBe(lonely.email);
    const byEmail = await listUsers(world.ctx, admin, { q: lonely.email.toUpperCase(), role: 'student' });
    expect(byEmail.users.map((u) => u.id)).toEqual([lonely.id]);
  });

  it('the admin page is for admins only', async () => {
    const { alice, teacher, admin } = await aClass();
    await expectStatus(adminDirectoryPage(world.ctx, alice, {}), 403);
    await expectStatus(adminDirectoryPage(world.ctx, teacher, {}), 403);
    await expectStatus(adminDirectoryPage(world.ctx, null, {}), 401);
    const page = await adminDirectoryPage(world.ctx, admin, { q: alice.lastName });
    expect(page.users.map((u) => u.id)).toEqual([alice.id]);
  });
});
