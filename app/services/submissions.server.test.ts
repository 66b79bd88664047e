import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getSubmissionPage } from './submission-page.server';
import { getSubmission, listSubmissions } from './submissions.server';

const world = setupServiceContext();
const { aClass, aSubmission } = builders(world);

async function twoSubmissions() {
  const c = await aClass();
  const mine = await aSubmission(c.alice, c.assignment);
  const theirs = await aSubmission(c.bob, c.assignment);
  return { ...c, mine, theirs };
}

describe('one submission', () => {
  it('its student sees it', async () => {
    const { alice, mine } = await twoSubmissions();
    expect((await getSubmission(world.ctx, alice, mine.id)).id).toBe(mine.id);
  });

  it('a classmate gets 404, on the API and on the page', async () => {
    const { alice, theirs } = await twoSubmissions();
    await expectStatus(getSubmission(world.ctx, alice, theirs.id), 404);
    await expectStatus(getSubmissionPage(world.ctx, alice, theirs.id), 404);
  });

  it('the course instructor sees it, with the grade form', async () => {
    const { teacher, mine } = await twoSubmissions();
    expect((await getSubmission(world.ctx, teacher, mine.id)).id).toBe(mine.id);
    const page = await getSubmissionPage(world.ctx, teacher, mine.id);
    expect(page.isInstructor).toBe(true);
    expect(page.playbackUrl).toBeTruthy();
  });

  it('the student’s page has no grade form', async () => {
    const { alice, mine } = await twoSubmissions();
    expect((await getSubmissionPage(world.ctx, alice, mine.id)).isInstructor).toBe(false);
  });

  it('another instructor and a student outside the course get 404; an admin sees it', async () => {
    const { otherTeacher, outsider, admin, mine } = await twoSubmissions();
    await expectStatus(getSubmission(world.ctx, otherTeacher, mine.id), 404);
    await expectStatus(getSubmission(world.ctx, outsider, mine.id), 404);
    expect((await getSubmission(world.ctx, admin, mine.id)).id).toBe(mine.id);
  });

  it('signed out is 401', async () => {
    const { mine } = await twoSubmissions();
    await expectStatus(getSubmission(world.ctx, null, mine.id), 401);
  });
});

describe('submission lists', () => {
  it('a student listing an assignment sees only their own', async () => {
    const { alice, assignment, mine } = await twoSubmissions();
    const { submissions } = await listSubmissions(world.ctx, alice, { assignmentId: assignment.id });
    expect(submissions.map((s) => s.id)).toEqual([mine.id]);
  });

  it('a student listing the course sees only their own', async () => {
    const { alice, course, mine } = await twoSubmissions();
    const { submissions } = await listSubmissions(world.ctx, alice, { courseId: course.id });
    expect(submissions.map((s) => s.id)).toEqual([mine.id]);
  });

  it('a student naming a classmate’s studentId is refused', async () => {
    const { alice, bob, assignment } = await twoSubmissions();
    await expectStatus(listSubmissions(world.ctx, alice, { assignmentId: assignment.id, studentId: bob.id }), 403);
  });

  it('the instructor lists everyone’s, or one student’s', async () => {
    const { teacher, bob, assignment, mine, theirs } = await twoSubmissions();
    const all = await listSubmissions(world.ctx, teacher, { assignmentId: assignment.id });
    expect(all.submissions.map((s) => s.id).sort()).toEqual([mine.id, theirs.id].sort());
    const one = await listSubmissions(world.ctx, teacher, { assignmentId: assignment.id, studentId: bob.id });
    expect(one.submissions.map((s) => s.id)).toEqual([theirs.id]);
  });

  it('someone outside the course is refused', async () => {
    const { outsider, otherTeacher, course, assignment } = await twoSubmissions();
    await expectStatus(listSubmissions(world.ctx, outsider, { assignmentId: assignment.id }), 403);
    await expectStatus(listSubmissions(world.ctx, otherTeacher, { courseId: course.id }), 403);
  });
});
