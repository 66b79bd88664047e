import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { gradeSubmission } from './grading.server';
import { getSubmissionPage } from './submission-page.server';

const world = setupServiceContext();
const { aClass, aSubmission, aUser } = builders(world);

describe('getSubmissionPage', () => {
  it('its student watches it, without the grading queue', async () => {
    const { alice, assignment } = await aClass();
    const submission = await aSubmission(alice, assignment);
    const page = await getSubmissionPage(world.ctx, alice, submission.id);
    expect(page).toMatchObject({ isInstructor: false, previousUngradedId: null, nextUngradedId: null });
    expect(page.playbackUrl).toMatch(/^http/);
  });

  it('the instructor moves between ungraded submissions, oldest first', async () => {
    const { teacher, alice, bob, course, assignment } = await aClass();
    const carol = await aUser('student', { firstName: 'Carol' });
    await world.ctx.repos.enrollments.enroll({ courseId: course.id, userId: carol.id, role: 'student' });
    const first = await aSubmission(alice, assignment);
    world.clock.advance(1000);
    const second = await aSubmission(bob, assignment);
    world.clock.advance(1000);
    const third = await aSubmission(carol, assignment);
    try {
      const middle = await getSubmissionPage(world.ctx, teacher, second.id);
      expect(middle).toMatchObject({ isInstructor: true, previousUngradedId: first.id, nextUngradedId: third.id });
      await gradeSubmission(world.ctx, teacher, first.id, { grade: 7 });
      expect(await getSubmissionPage(world.ctx, teacher, second.id)).toMatchObject({ previousUngradedId: null });
    } finally {
      world.clock.reset();
    }
  });

  it('a classmate and another instructor get 404', async () => {
    const { alice, bob, otherTeacher, assignment } = await aClass();
    const submission = await aSubmission(alice, assignment);
    await expectStatus(getSubmissionPage(world.ctx, bob, submission.id), 404);
    await expectStatus(getSubmissionPage(world.ctx, otherTeacher, submission.id), 404);
  });
});
