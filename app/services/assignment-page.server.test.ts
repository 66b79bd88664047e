import { describe, expect, it } from 'vitest';
import { builders, days, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getAssignmentPage } from './assignment-page.server';

const world = setupServiceContext();
const { aClass, aSubmission } = builders(world);

describe('getAssignmentPage', () => {
  it('the instructor sees every student with their status', async () => {
    const { teacher, alice, bob, assignment } = await aClass();
    await aSubmission(alice, assignment);
    const page = await getAssignmentPage(world.ctx, teacher, assignment.id);
    if (page.role !== 'instructor') throw new Error('expected the instructor view');
    expect(page.students.map((s) => [s.studentId, s.status]).sort()).toEqual(
      [
        [alice.id, 'submitted'],
        [bob.id, 'not-submitted'],
      ].sort(),
    );
  });

  it('a student sees only their own work and an upload form while they may submit', async () => {
    const { alice, bob, assignment } = await aClass();
    await aSubmission(bob, assignment);
    const page = await getAssignmentPage(world.ctx, alice, assignment.id);
    if (page.role !== 'student') throw new Error('expected the student view');
    expect(page.submissions).toEqual([]);
    expect(page.canSubmit).toBe(true);
    expect(page.uploadForm).not.toBeNull();
  });

  it('after the due date a student who handed in may not replace it', async () => {
    const { alice, assignment } = await aClass();
    await aSubmission(alice, assignment);
    world.clock.advance(days(8));
    try {
      const page = await getAssignmentPage(world.ctx, alice, assignment.id);
      if (page.role !== 'student') throw new Error('expected the student view');
      expect(page.canSubmit).toBe(false);
      expect(page.closedReason).toBeTruthy();
      expect(page.uploadForm).toBeNull();
    } finally {
      world.clock.reset();
    }
  });

  it('outsiders are refused and drafts are hidden from students', async () => {
    const { outsider, alice, assignment } = await aClass();
    await expectStatus(getAssignmentPage(world.ctx, outsider, assignment.id), 403);
    const draft = await aClass({ status: 'draft' });
    await expectStatus(getAssignmentPage(world.ctx, draft.alice, draft.assignment.id), 404);
    expect((await getAssignmentPage(world.ctx, alice, assignment.id)).role).toBe('student');
  });
});
