import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getDashboard } from './dashboard.server';
import { gradeSubmission } from './grading.server';

const world = setupServiceContext();
const { aClass, aSubmission, anAssignment } = builders(world);

describe('getDashboard', () => {
  it('a student sees what is due next (with whether it is handed in) and recent grades', async () => {
    const { teacher, alice, course, assignment } = await aClass();
    const later = await anAssignment(course, {
      title: 'Later',
      dueDate: new Date(world.ctx.now().getTime() + 14 * 86_400_000).toISOString(),
    });
    const submission = await aSubmission(alice, assignment);
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 9, feedback: 'Clear.' });
    const dashboard = await getDashboard(world.ctx, alice);
    if (dashboard.kind !== 'student') throw new Error('expected the student dashboard');
    expect(dashboard.dueNext.map((d) => [d.assignmentId, d.submitted])).toEqual([
      [assignment.id, true],
      [later.id, false],
    ]);
    expect(dashboard.recentGrades).toMatchObject([{ submissionId: submission.id, grade: 9, feedback: 'Clear.' }]);
  });

  it('an instructor sees the queue to grade, oldest first, without graded work', async () => {
    const { teacher, alice, bob, assignment } = await aClass();
    const first = await aSubmission(alice, assignment);
    world.clock.advance(1000);
    try {
      const second = await aSubmission(bob, assignment);
      const before = await getDashboard(world.ctx, teacher);
      if (before.kind !== 'instructor') throw new Error('expected the instructor dashboard');
      expect(before.toGrade.map((t) => t.submissionId)).toEqual([first.id, second.id]);
      await gradeSubmission(world.ctx, teacher, first.id, { grade: 5 });
      const after = await getDashboard(world.ctx, teacher);
      if (after.kind !== 'instructor') throw new Error('expected the instructor dashboard');
      expect(after.toGrade.map((t) => t.submissionId)).toEqual([second.id]);
    } finally {
      world.clock.reset();
    }
  });

  it('signed out is 401', async () => {
    await expectStatus(getDashboard(world.ctx, null), 401);
  });
});
