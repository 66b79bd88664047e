import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { assignmentProgress, courseGradebook, gradeSubmission } from './grading.server';

const world = setupServiceContext();
const { aClass, aSubmission } = builders(world);

async function graded() {
  const c = await aClass({ maxScore: 10 });
  const submission = await aSubmission(c.alice, c.assignment);
  return { ...c, submission };
}

const notificationsOf = async (userId: string) => (await world.ctx.repos.notifications.listByRecipient(userId)).items;

describe('gradeSubmission: who', () => {
  it('the course instructor grades; the student is notified', async () => {
    const { teacher, alice, submission } = await graded();
    const result = await gradeSubmission(world.ctx, teacher, submission.id, { grade: 8, feedback: 'Clear.' });
    expect(result).toMatchObject({ status: 'graded', grade: 8, instructorFeedback: 'Clear.', gradedBy: teacher.id });
    const [note] = await notificationsOf(alice.id);
    expect(note).toMatchObject({ type: 'grade', relatedId: submission.id, senderId: teacher.id });
  });

  it('an admin may grade', async () => {
    const { admin, submission } = await graded();
    expect((await gradeSubmission(world.ctx, admin, submission.id, { grade: 5 })).grade).toBe(5);
  });

  it('the student who submitted may not grade it', async () => {
    const { alice, submission } = await graded();
    await expectStatus(gradeSubmission(world.ctx, alice, submission.id, { grade: 10 }), 403);
    expect((await world.ctx.repos.submissions.getById(submission.id))?.grade).toBeNull();
  });

  it('a classmate may not grade it', async () => {
    const { bob, submission } = await graded();
    await expectStatus(gradeSubmission(world.ctx, bob, submission.id, { grade: 0 }), 403);
    expect((await world.ctx.repos.submissions.getById(submission.id))?.grade).toBeNull();
  });

  it('another course’s instructor may not grade it', async () => {
    const { otherTeacher, submission } = await graded();
    await expectStatus(gradeSubmission(world.ctx, otherTeacher, submission.id, { grade: 7 }), 403);
    expect((await world.ctx.repos.submissions.getById(submission.id))?.grade).toBeNull();
  });

  it('signed out is 401', async () => {
    const { submission } = await graded();
    await expectStatus(gradeSubmission(world.ctx, null, submission.id, { grade: 7 }), 401);
  });
});

describe('gradeSubmission: the score', () => {
  it('0 and the maximum are allowed; a decimal string from a form too', async () => {
    const { teacher, submission } = await graded();
    expect((await gradeSubmission(world.ctx, teacher, submission.id, { grade: 0 })).grade).toBe(0);
    expect((await gradeSubmission(world.ctx, teacher, submission.id, { grade: 10 })).grade).toBe(10);
    expect((await gradeSubmission(world.ctx, teacher, submission.id, { grade: '7.5' })).grade).toBe(7.5);
    expect((await gradeSubmission(world.ctx, teacher, submission.id, { score: 6 })).grade).toBe(6);
  });

  it('below 0 or above the maximum is 400', async () => {
    const { teacher, submission } = await graded();
    for (const grade of [-1, 10.5, 11, '11']) {
      await expectStatus(gradeSubmission(world.ctx, teacher, submission.id, { grade }), 400);
    }
  });

  for (const junk of [true, false, ' ', [7], '0x5', '1e1', '', null, undefined, '7 ', '-0', {}, Infinity, NaN, '٣']) {
    it(`junk ${JSON.stringify(junk) ?? String(junk)} is 400 and notifies nobody`, async () => {
      const { teacher, alice, submission } = await graded();
      await expectStatus(gradeSubmission(world.ctx, teacher, submission.id, { grade: junk }), 400);
      expect((await world.ctx.repos.submissions.getById(submission.id))?.status).toBe('submitted');
      expect(await notificationsOf(alice.id)).toEqual([]);
    });
  }
});

describe('progress views', () => {
  it('assignment progress is for the course instructor only', async () => {
    const { teacher, alice, bob, otherTeacher, assignment, submission } = await graded();
    const { students } = await assignmentProgress(world.ctx, teacher, assignment.id);
    expect(students.map((s) => [s.studentId, s.status]).sort()).toEqual(
      [
        [alice.id, 'submitted'],
        [bob.id, 'not-submitted'],
      ].sort(),
    );
    expect(students.find((s) => s.studentId === alice.id)?.submission?.id).toBe(submission.id);
    await expectStatus(assignmentProgress(world.ctx, alice, assignment.id), 403);
    await expectStatus(assignmentProgress(world.ctx, otherTeacher, assignment.id), 403);
  });

  it('a student without a submission is "not submitted" before the due date and "missing" after it', async () => {
    const { teacher, bob, assignment, course } = await graded();
    const statusOfBob = async () =>
      (await assignmentProgress(world.ctx, teacher, assignment.id)).students.find((s) => s.studentId === bob.id)
        ?.status;
    expect(await statusOfBob()).toBe('not-submitted');
    world.clock.advance(8 * 24 * 60 * 60 * 1000);
    try {
      expect(await statusOfBob()).toBe('missing');
      const book = await courseGradebook(world.ctx, teacher, course.id);
      expect(book.assignments.find((a) => a.id === assignment.id)).toMatchObject({ notSubmitted: 1, pastDue: true });
    } finally {
      world.clock.reset();
    }
  });

  it('the gradebook is for the course instructor only', async () => {
    const { teacher, alice, course } = await graded();
    const book = await courseGradebook(world.ctx, teacher, course.id);
    expect(book.studentCount).toBe(2);
    expect(book.assignments[0]).toMatchObject({ submitted: 1, graded: 0, notSubmitted: 1, pastDue: false });
    await expectStatus(courseGradebook(world.ctx, alice, course.id), 403);
  });
});
