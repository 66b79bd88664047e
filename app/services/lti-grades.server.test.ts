import { describe, expect, it } from 'vitest';
import { AGS_SCOPE_SCORE } from '~/auth/lti/scopes';
import { createJobs } from '~/jobs/index.server';
import { builders, setupServiceContext } from '../../tests/service-context';
import { launch, setupLtiWorld } from '../../tests/lti-world';
import { assignmentProgress, gradeSubmission } from './grading.server';
import { answerDeepLink } from './lti-deep-linking.server';
import { scoreStatusesFor, sendLtiScore } from './lti-grades.server';
import { getSubmissionPage } from './submission-page.server';

const world = setupServiceContext();
const lti = setupLtiWorld(world);
const { anAssignment, aSubmission, aUser, aCourse } = builders(world);

let n = 0;
const aContext = () => `ctx-grades-${Date.now().toString(36)}-${++n}`;

/**
 * The whole LMS path: the instructor opens ClassCast in a new LMS course, deep-links an
 * assignment (the fake LMS makes the link and its gradebook column), the student launches that
 * link and submits a video.
 */
async function aLaunchedSubmission(maxScore = 10) {
  const contextId = aContext();
  const opened = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
  const teacher = opened.user;
  const course = (await world.ctx.repos.courses.getById(opened.courseId))!;
  const assignment = await anAssignment(course, { maxScore });
  const picker = await launch(world, lti, { user: 'instructor', kind: 'deepLink', contextId });
  const handoff = new URL(picker.redirectTo, 'http://x').searchParams.get('handoff');
  const answer = await answerDeepLink(world.ctx, teacher, handoff, 'pick', { assignmentId: assignment.id });
  const posted = await fetch(answer.returnUrl, { method: 'POST', body: new URLSearchParams({ JWT: answer.jwt }) });
  expect(posted.status).toBe(200);
  const resourceLinkId = lti.lms.deepLinkResponses().at(-1)!.resourceLinkIds[0]!;
  const studentLaunch = await launch(world, lti, { user: 'student', kind: 'resource', resourceLinkId });
  expect(studentLaunch.redirectTo).toBe(`/assignments/${assignment.id}`);
  const student = studentLaunch.user;
  const submission = await aSubmission(student, assignment);
  const lineItem = lti.lms.lineItems().find((li) => li.resourceLinkId === resourceLinkId)!;
  return { teacher, student, course, assignment, submission, resourceLinkId, lineItem };
}

const scoresFor = (lineItemId: string) => lti.lms.scores().filter((s) => s.lineItemId === lineItemId);

/** The outbox as the server runs it, with grade passback wired and no backoff wait (the test drives it). */
function jobs() {
  return createJobs(world.ctx, {
    pollMs: 0,
    retry: { baseMs: 0, maxMs: 0 },
    effects: { ltiScore: (id) => sendLtiScore(world.ctx, id) },
  });
}

describe('grade passback', () => {
  it('a grade reaches the LMS line item with the AGS fields and Canvas’ submission extension; the pages say so', async () => {
    const { teacher, student, assignment, submission, lineItem } = await aLaunchedSubmission(10);
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: '7.5', feedback: 'Clear and well paced.' });
    expect(await world.ctx.repos.lti.getScoreStatus(submission.id)).toMatchObject({
      state: 'pending',
      scoreGiven: 7.5,
    });

    await jobs().runNow();

    const [score, ...more] = scoresFor(lineItem.id);
    expect(more).toEqual([]);
    const graded = (await world.ctx.repos.submissions.getById(submission.id))!;
    expect(score).toMatchObject({
      userId: lti.lms.users.student!.sub,
      scoreGiven: 7.5,
      scoreMaximum: 10,
      activityProgress: 'Submitted',
      gradingProgress: 'FullyGraded',
      timestamp: graded.gradedAt,
      comment: 'Clear and well paced.',
    });
    expect(score!.body['https://canvas.instructure.com/lti/submission']).toMatchObject({
      submitted_at: graded.submittedAt,
    });
    expect(await world.ctx.repos.lti.getScoreStatus(submission.id)).toMatchObject({
      state: 'sent',
      scoreGiven: 7.5,
      lastError: null,
    });

    const progress = await assignmentProgress(world.ctx, teacher, assignment.id);
    expect(progress.students.find((s) => s.studentId === student.id)?.ltiScore).toMatchObject({
      state: 'sent',
      label: 'Sent to Fake LMS',
    });
    expect((await getSubmissionPage(world.ctx, teacher, submission.id)).ltiScore?.label).toBe('Sent to Fake LMS');
    // The student sees their grade, never the gradebook's plumbing.
    expect((await getSubmissionPage(world.ctx, student, submission.id)).ltiScore).toBeNull();
  });

  it('during an outage the status is "waiting to retry" with the reason; afterwards the score arrives exactly once per grade', async () => {
    const { teacher, submission, lineItem } = await aLaunchedSubmission(10);
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 6 });
    lti.lms.setScoreOutage(2);

    await expect(sendLtiScore(world.ctx, submission.id)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });
    const waiting = await world.ctx.repos.lti.getScoreStatus(submission.id);
    expect(waiting).toMatchObject({ state: 'retrying', attempts: 1, scoreGiven: 6 });
    expect(waiting!.lastError).toMatch(/cannot be reached|503/);
    const [view] = Object.values(await scoreStatusesFor(world.ctx, submission.assignmentId, [submission.id]));
    expect(view!.label).toMatch(/^Waiting to retry: /);
    expect(scoresFor(lineItem.id)).toEqual([]);

    // The outbox entry the grade queued is retried (each pass one attempt) until the LMS is back.
    const runner = jobs();
    for (let pass = 0; pass < 5 && !scoresFor(lineItem.id).length; pass++) await runner.runNow();
    await runner.runNow();
    expect(scoresFor(lineItem.id).map((s) => s.scoreGiven)).toEqual([6]);
    expect(await world.ctx.repos.lti.getScoreStatus(submission.id)).toMatchObject({ state: 'sent', lastError: null });

    // A regrade is a new grade: one more score, the new one.
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 9 });
    await jobs().runNow();
    expect(scoresFor(lineItem.id).map((s) => s.scoreGiven)).toEqual([6, 9]);
    expect(await world.ctx.repos.outbox.countPending()).toBe(0);
  });

  it('a score the LMS rejects (4xx) is kept, visible, and retried — never dropped', async () => {
    const { teacher, submission, assignment, course, resourceLinkId } = await aLaunchedSubmission(10);
    // The LMS deleted the gradebook column: its scores endpoint answers 404.
    await world.ctx.repos.lti.saveResourceLink({
      issuer: lti.platform.issuer,
      resourceLinkId,
      platformId: lti.platform.id,
      courseId: course.id,
      assignmentId: assignment.id,
      lineItemUrl: `${lti.lms.url}/contexts/gone/lineitems/missing`,
      scopes: [AGS_SCOPE_SCORE],
    });
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 4 });
    const runner = createJobs(world.ctx, {
      pollMs: 0,
      retry: { baseMs: 60_000, maxMs: 60_000 },
      effects: { ltiScore: (id) => sendLtiScore(world.ctx, id) },
    });
    await runner.runNow();
    const status = await world.ctx.repos.lti.getScoreStatus(submission.id);
    expect(status).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(status!.lastError).toMatch(/refused|404/);
    // Still in the outbox, waiting for its next attempt.
    expect(await world.ctx.repos.outbox.countPending()).toBeGreaterThan(0);
    await expect(sendLtiScore(world.ctx, submission.id)).rejects.toMatchObject({ code: 'PLATFORM_REJECTED' });
    expect(await world.ctx.repos.lti.getScoreStatus(submission.id)).toMatchObject({ state: 'retrying', attempts: 2 });
  });

  it('an assignment no LMS link opens queues nothing and shows no LMS status', async () => {
    const teacher = await aUser('instructor');
    const student = await aUser('student');
    const course = await aCourse(teacher, [student]);
    const assignment = await anAssignment(course);
    const submission = await aSubmission(student, assignment);
    const before = lti.lms.scores().length;
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 5 });
    expect(await world.ctx.repos.lti.getScoreStatus(submission.id)).toBeNull();
    await sendLtiScore(world.ctx, submission.id);
    expect(lti.lms.scores().length).toBe(before);
    expect((await getSubmissionPage(world.ctx, teacher, submission.id)).ltiScore).toBeNull();
  });

  it('a student who never came from the LMS cannot be named to it: the grade waits, visibly', async () => {
    const { teacher, course, assignment } = await aLaunchedSubmission(10);
    const joinedByCode = await aUser('student');
    await world.ctx.repos.enrollments.enroll({ courseId: course.id, userId: joinedByCode.id, role: 'student' });
    const submission = await aSubmission(joinedByCode, assignment);
    await gradeSubmission(world.ctx, teacher, submission.id, { grade: 3 });
    await expect(sendLtiScore(world.ctx, submission.id)).rejects.toThrow(/has not opened ClassCast from Fake LMS/);
    expect(await world.ctx.repos.lti.getScoreStatus(submission.id)).toMatchObject({ state: 'retrying' });
  });
});
