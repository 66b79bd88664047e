/** The access rules of the connections / profiles / directory section, on the real adapter. */
import { describe, expect, it } from 'vitest';
import type { Connection } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  directoryScope,
  maySeePrivateFields,
  requireMayAcceptConnection,
  requireMayEditProfile,
  requireMayEndConnection,
  requireMayRequestConnection,
  requirePersonRelation,
} from './access.server';

const world = setupServiceContext();
const { aClass } = builders(world);

const pending = (requesterId: string, requestedId: string): Connection => ({
  connectionId: [requesterId, requestedId].sort().join('_'),
  requesterId,
  requestedId,
  status: 'pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('requirePersonRelation', () => {
  it('knows shared courses, and that only the course instructor (or an admin) teaches a student', async () => {
    const { alice, bob, teacher, otherTeacher, admin, outsider, course } = await aClass();
    const classmates = await requirePersonRelation(world.ctx, alice, bob.id);
    expect(classmates).toMatchObject({ isSelf: false, sharedCourseIds: [course.id], teachesPerson: false });
    expect(maySeePrivateFields(classmates)).toBe(false);
    const teaching = await requirePersonRelation(world.ctx, teacher, alice.id);
    expect(teaching.teachesPerson).toBe(true);
    expect(maySeePrivateFields(teaching)).toBe(true);
    // The student is not their instructor's instructor.
    expect((await requirePersonRelation(world.ctx, alice, teacher.id)).teachesPerson).toBe(false);
    expect((await requirePersonRelation(world.ctx, otherTeacher, alice.id)).teachesPerson).toBe(false);
    expect(maySeePrivateFields(await requirePersonRelation(world.ctx, admin, alice.id))).toBe(true);
    expect((await requirePersonRelation(world.ctx, outsider, alice.id)).sharedCourseIds).toEqual([]);
    expect(maySeePrivateFields(await requirePersonRelation(world.ctx, alice, alice.id))).toBe(true);
    await expectStatus(requirePersonRelation(world.ctx, alice, '01JZZZZZZZZZZZZZZZZZZZZZZZ'), 404);
    await expectStatus(requirePersonRelation(world.ctx, null, alice.id), 401);
  });
});

describe('connection rules', () => {
  it('requests go to classmates (admins: anyone), never to yourself', async () => {
    const { alice, bob, outsider, admin } = await aClass();
    expect((await requireMayRequestConnection(world.ctx, alice, bob.id)).person.id).toBe(bob.id);
    await expectStatus(requireMayRequestConnection(world.ctx, alice, alice.id), 400);
    await expectStatus(requireMayRequestConnection(world.ctx, alice, outsider.id), 403);
    expect((await requireMayRequestConnection(world.ctx, admin, outsider.id)).person.id).toBe(outsider.id);
  });

  it('accept / decline / cancel / remove each belong to one side; outsiders see nothing', async () => {
    const { alice, bob, outsider } = await aClass();
    const request = pending(alice.id, bob.id);
    expect(requireMayAcceptConnection(bob, request).id).toBe(bob.id);
    expect(() => requireMayAcceptConnection(alice, request)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireMayAcceptConnection(outsider, request)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => requireMayAcceptConnection(bob, { ...request, status: 'accepted' })).toThrow(
      expect.objectContaining({ status: 409 }),
    );
    expect(requireMayEndConnection(bob, request, 'decline').id).toBe(bob.id);
    expect(() => requireMayEndConnection(alice, request, 'decline')).toThrow(expect.objectContaining({ status: 403 }));
    expect(requireMayEndConnection(alice, request, 'cancel').id).toBe(alice.id);
    expect(() => requireMayEndConnection(bob, request, 'cancel')).toThrow(expect.objectContaining({ status: 403 }));
    expect(requireMayEndConnection(bob, { ...request, status: 'accepted' }, 'remove').id).toBe(bob.id);
    expect(() => requireMayEndConnection(outsider, request, 'remove')).toThrow(
      expect.objectContaining({ status: 404 }),
    );
  });
});

describe('profile and directory rules', () => {
  it('a profile is edited by its owner or an admin; admins see the whole directory', async () => {
    const { alice, bob, admin } = await aClass();
    expect(requireMayEditProfile(alice, undefined).id).toBe(alice.id);
    expect(requireMayEditProfile(alice, alice.id).id).toBe(alice.id);
    expect(() => requireMayEditProfile(bob, alice.id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(requireMayEditProfile(admin, alice.id).id).toBe(admin.id);
    expect(directoryScope(admin).everyone).toBe(true);
    expect(directoryScope(alice).everyone).toBe(false);
    expect(() => directoryScope(null)).toThrow(expect.objectContaining({ status: 401 }));
  });
});
