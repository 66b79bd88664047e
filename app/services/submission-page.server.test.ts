import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { gradeSubmission } from './grading.server';
import { getSubmissionPage } from './submission-page.server';
import {
  addSubmissionFeedback,
  addVideoComment,
  deleteSubmissionComment,
  listVideoInteractions,
} from './video-interactions.server';

const world = setupServiceContext();
const { aClass, anAssignment, aSubmission, aUser } = builders(world);

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

describe('time-coded feedback on the submission page', () => {
  it('the student sees the instructor’s feedback by moment, general notes last; classmates’ comments are not feedback', async () => {
    const { teacher, alice, bob, assignment } = await aClass();
    const submission = await aSubmission(alice, assignment);
    await addSubmissionFeedback(world.ctx, teacher, submission.id, { content: 'Overall clear' });
    await addSubmissionFeedback(world.ctx, teacher, submission.id, { content: 'Louder here', atSeconds: '0:09' });
    await addSubmissionFeedback(world.ctx, teacher, submission.id, { content: 'Good opening', atSeconds: 2 });
    await addVideoComment(world.ctx, bob, submission.videoId, { content: 'Cool', atSeconds: 1 });
    const page = await getSubmissionPage(world.ctx, alice, submission.id);
    expect(page.feedback.map((f) => [f.content, f.atSeconds])).toEqual([
      ['Good opening', 2],
      ['Louder here', 9],
      ['Overall clear', null],
    ]);
    expect(page.feedback.every((f) => !f.canDelete)).toBe(true);
    expect((await getSubmissionPage(world.ctx, teacher, submission.id)).feedback.every((f) => f.canDelete)).toBe(true);
  });

  it('feedback on private work stays between the student and the instructor', async () => {
    const { teacher, alice, bob, course } = await aClass();
    const hidden = await anAssignment(course, { visibility: 'private' });
    const submission = await aSubmission(alice, hidden);
    const note = await addSubmissionFeedback(world.ctx, teacher, submission.id, {
      content: 'Private note',
      atSeconds: 1,
    });
    await expectStatus(listVideoInteractions(world.ctx, bob, submission.videoId, {}), 404);
    await expectStatus(deleteSubmissionComment(world.ctx, bob, submission.id, note.id), 404);
    await expectStatus(deleteSubmissionComment(world.ctx, alice, submission.id, note.id), 403);
    await deleteSubmissionComment(world.ctx, teacher, submission.id, note.id);
    expect((await getSubmissionPage(world.ctx, alice, submission.id)).feedback).toEqual([]);
  });
});
