/** The admin area's gate (admin-area.server.ts): admins only, on the real adapter. */
import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { listAllCourses, setCourseArchived } from './admin-courses.server';
import { adminHealth } from './admin-health.server';
import { getUserForAdmin, sendPasswordResetAsAdmin, updateUserAsAdmin } from './admin-users.server';
import { openAdminArea } from './admin-area.server';

const world = setupServiceContext();
const { aClass } = builders(world);

describe('the admin area is admins only', () => {
  it('refuses students and instructors every action with 403, and anonymous callers with 401', async () => {
    const { teacher, alice, course, admin } = await aClass();
    for (const actor of [teacher, alice]) {
      expect(() => openAdminArea(actor)).toThrow(expect.objectContaining({ status: 403 }));
      await expectStatus(getUserForAdmin(world.ctx, actor, admin.id), 403);
      await expectStatus(updateUserAsAdmin(world.ctx, actor, alice.id, { role: 'instructor' }), 403);
      await expectStatus(updateUserAsAdmin(world.ctx, actor, alice.id, { disabled: true }), 403);
      await expectStatus(sendPasswordResetAsAdmin(world.ctx, actor, alice.id), 403);
      await expectStatus(listAllCourses(world.ctx, actor), 403);
      await expectStatus(adminHealth(world.ctx, actor), 403);
    }
    await expectStatus(setCourseArchived(world.ctx, alice, course.id, { archived: true }), 403);
    await expectStatus(listAllCourses(world.ctx, null), 401);
    expect((await world.ctx.repos.users.getById(alice.id))?.role).toBe('student');
    expect((await world.ctx.repos.courses.getById(course.id))?.archivedAt).toBeNull();
  });
});
