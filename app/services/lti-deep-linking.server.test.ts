import { describe, expect, it } from 'vitest';
import type { User } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { launch, payloadOf, setupLtiWorld } from '../../tests/lti-world';
import { answerDeepLink, getDeepLinkPicker } from './lti-deep-linking.server';

const world = setupServiceContext();
const lti = setupLtiWorld(world);
const { anAssignment, aUser, aCourse } = builders(world);

let n = 0;
const aContext = () => `ctx-dl-${Date.now().toString(36)}-${++n}`;

/** An instructor inside the LMS's "add content" dialog, in a course with one assignment. */
async function aPicker() {
  const contextId = aContext();
  const opened = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
  const course = (await world.ctx.repos.courses.getById(opened.courseId))!;
  const existing = await anAssignment(course, { title: 'Explain osmosis', maxScore: 20 });
  const archived = await anAssignment(course, { title: 'Old one', status: 'archived' });
  const dl = await launch(world, lti, { user: 'instructor', kind: 'deepLink', contextId });
  const handoff = new URL(dl.redirectTo, 'http://x').searchParams.get('handoff');
  return { teacher: dl.user, course, existing, archived, handoff, contextId };
}

async function postToLms(answer: { returnUrl: string; jwt: string }) {
  const response = await fetch(answer.returnUrl, { method: 'POST', body: new URLSearchParams({ JWT: answer.jwt }) });
  return { status: response.status, record: lti.lms.deepLinkResponses().at(-1)! };
}

const futureDue = () => new Date(world.ctx.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 16);

describe('the deep-linking picker', () => {
  it('lists the course’s assignments (not archived ones) for the instructor the launch signed in', async () => {
    const { teacher, course, existing, handoff } = await aPicker();
    const picker = await getDeepLinkPicker(world.ctx, teacher, handoff);
    expect(picker.course).toEqual({ id: course.id, title: course.title });
    expect(picker.assignments.map((a) => a.id)).toEqual([existing.id]);
  });

  it('is refused to anyone else holding the link, and without a valid handoff', async () => {
    const { course, handoff } = await aPicker();
    const other: User = await aUser('instructor');
    await expectStatus(getDeepLinkPicker(world.ctx, other, handoff), 403);
    await expectStatus(getDeepLinkPicker(world.ctx, null, handoff), 403);
    const teacher = (await world.ctx.repos.users.getById(course.instructorId))!;
    await expectStatus(getDeepLinkPicker(world.ctx, teacher, null), 400);
    await expectStatus(getDeepLinkPicker(world.ctx, teacher, `${handoff}x`), 400);
  });

  it('picking an assignment answers a signed LtiDeepLinkingResponse the LMS accepts: the link, its custom id, its gradebook column', async () => {
    const { teacher, existing, handoff, contextId } = await aPicker();
    const answer = await answerDeepLink(world.ctx, teacher, handoff, 'pick', { assignmentId: existing.id });
    expect(answer.returnUrl).toBe(`${lti.lms.url}/deep-link-return`);
    expect(payloadOf(answer.jwt)).toMatchObject({ iss: lti.lms.clientId, aud: lti.lms.issuer });
    const { status, record } = await postToLms(answer);
    expect(status).toBe(200);
    expect(record).toMatchObject({ ok: true, contextId });
    expect(record.items).toEqual([
      expect.objectContaining({
        type: 'ltiResourceLink',
        title: 'Explain osmosis',
        url: `${lti.toolUrl}/lti/launch`,
        custom: { assignment_id: existing.id },
        lineItem: expect.objectContaining({ scoreMaximum: 20, label: 'Explain osmosis', resourceId: existing.id }),
      }),
    ]);
    const lineItem = lti.lms.lineItems().find((li) => li.resourceLinkId === record.resourceLinkIds[0]);
    expect(lineItem).toMatchObject({ scoreMaximum: 20, label: 'Explain osmosis' });
  });

  it('creating a new assignment makes it in the course and links it', async () => {
    const { teacher, course, handoff } = await aPicker();
    const answer = await answerDeepLink(world.ctx, teacher, handoff, 'create', {
      title: 'Record your lab intro',
      description: 'Two minutes.',
      dueDate: futureDue(),
      maxScore: '15',
    });
    const created = (await world.ctx.repos.assignments.listByCourse(course.id, { includeDrafts: true })).items.find(
      (a) => a.title === 'Record your lab intro',
    );
    expect(created).toMatchObject({ courseId: course.id, maxScore: 15 });
    const { record } = await postToLms(answer);
    expect(record.ok).toBe(true);
    expect(record.items[0]).toMatchObject({ custom: { assignment_id: created!.id } });
  });

  it('bad input is a field error and creates nothing; an assignment of another course or an archived one cannot be picked', async () => {
    const { teacher, course, archived, handoff } = await aPicker();
    const before = (await world.ctx.repos.assignments.listByCourse(course.id, { includeDrafts: true })).items.length;
    await expect(
      answerDeepLink(world.ctx, teacher, handoff, 'create', { title: '', dueDate: futureDue(), maxScore: '10' }),
    ).rejects.toMatchObject({ status: 400, details: { fields: { title: expect.any(Array) } } });
    expect((await world.ctx.repos.assignments.listByCourse(course.id, { includeDrafts: true })).items.length).toBe(
      before,
    );
    const elsewhere = await anAssignment(await aCourse(await aUser('instructor')));
    for (const assignmentId of [elsewhere.id, archived.id, 'nope', '']) {
      await expect(answerDeepLink(world.ctx, teacher, handoff, 'pick', { assignmentId })).rejects.toMatchObject({
        status: 400,
        details: { fields: { assignmentId: expect.any(Array) } },
      });
    }
    await expectStatus(answerDeepLink(world.ctx, teacher, handoff, 'delete-everything', {}), 400);
  });
});
