import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { requireLtiAdmin, requireRosterSyncer } from './access.server';

const world = setupServiceContext();
const { aClass } = builders(world);

describe('LMS registrations and tool keys', () => {
  it('are for admins: an admin gets themself back', async () => {
    const { admin } = await aClass();
    expect(requireLtiAdmin(admin)).toBe(admin);
  });

  it('refuse instructors and students (403) and anonymous callers (401)', async () => {
    const { teacher, alice } = await aClass();
    expect(() => requireLtiAdmin(teacher)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireLtiAdmin(alice)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireLtiAdmin(null)).toThrow(expect.objectContaining({ status: 401 }));
  });
});

describe('roster sync', () => {
  it('is for the course instructor and admins', async () => {
    const { teacher, admin, course } = await aClass();
    expect((await requireRosterSyncer(world.ctx, teacher, course.id)).course.id).toBe(course.id);
    expect((await requireRosterSyncer(world.ctx, admin, course.id)).isInstructor).toBe(true);
  });

  it('refuses the course’s students, other instructors, outsiders; an unknown course is 404', async () => {
    const { alice, otherTeacher, outsider, teacher, course } = await aClass();
    await expectStatus(requireRosterSyncer(world.ctx, alice, course.id), 403);
    await expectStatus(requireRosterSyncer(world.ctx, otherTeacher, course.id), 403);
    await expectStatus(requireRosterSyncer(world.ctx, outsider, course.id), 403);
    await expectStatus(requireRosterSyncer(world.ctx, null, course.id), 401);
    await expectStatus(requireRosterSyncer(world.ctx, teacher, '01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404);
  });
});
