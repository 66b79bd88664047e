import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE } from '~/auth/lti/roles';
import type { Course, LtiPlatform, User } from '~/data/repository';
import { startFakePlatform, type FakePlatform } from '../../tools/lti-platform';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { publishedJwks } from './lti-keys.server';
import { getLmsRoster, syncRoster } from './lti-roster.server';
import { placeholderEmail } from './lti-users.server';

const world = setupServiceContext();
const { aUser, aCourse } = builders(world);

/** Our /lti/jwks, served from the real keys service: the fake LMS checks our client assertions with it. */
let jwksServer: Server;
let lms: FakePlatform;
let platform: LtiPlatform;

beforeAll(async () => {
  jwksServer = createServer((req, res) => {
    publishedJwks(world.ctx).then(
      (jwks) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const toolUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  lms = await startFakePlatform({ toolUrl, membersPageSize: 2 });
  platform = await world.ctx.repos.lti.createPlatform(lms.registration);
});
afterAll(async () => {
  await lms?.stop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

let n = 0;

/** How many members a new LMS course starts with: every fake LMS user so far but the admin. */
const everyone = () => Object.values(lms.users).filter((u) => u.key !== 'admin').length;

/** A ClassCast course that stands for a fresh LMS course (context) with the default members. */
async function anLmsCourse(opts: { membershipsUrl?: string | null } = {}) {
  const teacher = await aUser('instructor');
  const course = await aCourse(teacher);
  const contextId = `ctx-${Date.now().toString(36)}-${++n}`;
  await world.ctx.repos.lti.saveContext({
    issuer: platform.issuer,
    contextId,
    platformId: platform.id,
    deploymentId: lms.deploymentId,
    courseId: course.id,
    title: 'Biology 101',
    membershipsUrl:
      opts.membershipsUrl === undefined ? `${lms.url}/contexts/${contextId}/memberships` : opts.membershipsUrl,
    lineItemsUrl: null,
  });
  return { teacher, course, contextId };
}

async function userOf(sub: string): Promise<User> {
  const id = await world.ctx.repos.lti.findUserLink(platform.issuer, sub);
  const user = id ? await world.ctx.repos.users.getById(id) : null;
  if (!user) throw new Error(`no user for ${sub}`);
  return user;
}

async function roleIn(course: Course, sub: string) {
  const user = await userOf(sub);
  return (await world.ctx.repos.enrollments.get(course.id, user.id))?.role ?? null;
}

async function membershipOf(course: Course, sub: string) {
  const user = await userOf(sub);
  const page = await world.ctx.repos.lti.listMemberships(course.id, { limit: 100 });
  return page.items.find((m) => m.userId === user.id) ?? null;
}

describe('syncRoster against the fake LMS', () => {
  it('adds every member with the mapped course role (across NRPS pages), and a re-run changes nothing', async () => {
    const { teacher, course } = await anLmsCourse();
    const result = await syncRoster(world.ctx, teacher, course.id);
    expect(result).toMatchObject({ added: everyone(), updated: 0, deactivated: 0, platformName: 'Fake LMS' });
    expect(await roleIn(course, lms.users.student.sub)).toBe('student');
    expect(await roleIn(course, lms.users.student2.sub)).toBe('student');
    expect(await roleIn(course, lms.users.instructor.sub)).toBe('instructor');
    expect(await roleIn(course, lms.users.ta.sub)).toBe('instructor');
    expect(await userOf(lms.users.student.sub)).toMatchObject({
      firstName: 'Sam',
      lastName: 'Student',
      email: 'student@lms.example',
    });
    expect(await membershipOf(course, lms.users.student.sub)).toMatchObject({ active: true, roles: [ROLE.learner] });
    // The LMS said who may ask: the roster scope only.
    expect(lms.tokenRequests().at(-1)).toMatchObject({ ok: true });

    const again = await syncRoster(world.ctx, teacher, course.id);
    expect(again).toMatchObject({ added: 0, updated: 0, deactivated: 0, unchanged: everyone() });
  });

  it('a student added in the LMS is added; a role change moves the enrolment', async () => {
    const { teacher, course, contextId } = await anLmsCourse();
    await syncRoster(world.ctx, teacher, course.id);
    const before = everyone();
    const key = `new-${++n}`;
    const sub = lms.addMember(contextId, { key, name: 'Nora Newcomer', roles: [ROLE.learner] });
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ added: 1, updated: 0, unchanged: before });
    expect(await roleIn(course, sub)).toBe('student');

    lms.addMember(contextId, { key, sub, name: 'Nora Newcomer', roles: [ROLE.teachingAssistant] });
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ added: 0, updated: 1 });
    expect(await roleIn(course, sub)).toBe('instructor');
    expect((await membershipOf(course, sub))?.roles).toEqual([ROLE.teachingAssistant]);
    expect((await userOf(sub)).role).toBe('instructor');
  });

  it('Inactive or Deleted members are marked inactive, keep their enrolment, and come back when active again', async () => {
    const { teacher, course, contextId } = await anLmsCourse();
    await syncRoster(world.ctx, teacher, course.id);
    lms.setMemberStatus(contextId, lms.users.student.sub, 'Inactive');
    lms.setMemberStatus(contextId, lms.users.student2.sub, 'Deleted');
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ deactivated: 2, added: 0 });
    expect(await roleIn(course, lms.users.student.sub)).toBe('student');
    expect((await membershipOf(course, lms.users.student.sub))?.active).toBe(false);
    const roster = await getLmsRoster(world.ctx, teacher, course.id);
    expect(roster).toMatchObject({ platformName: 'Fake LMS', canSync: true });
    expect(roster?.inactiveUserIds.sort()).toEqual(
      [(await userOf(lms.users.student.sub)).id, (await userOf(lms.users.student2.sub)).id].sort(),
    );
    // Said twice, counted once.
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ deactivated: 0 });

    lms.setMemberStatus(contextId, lms.users.student.sub, 'Active');
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ updated: 1, deactivated: 0 });
    expect((await membershipOf(course, lms.users.student.sub))?.active).toBe(true);
  });

  it('a member the LMS no longer lists is marked inactive, never removed', async () => {
    const { teacher, course } = await anLmsCourse();
    const gone = await aUser('student');
    await world.ctx.repos.enrollments.enroll({ courseId: course.id, userId: gone.id, role: 'student' });
    await world.ctx.repos.lti.saveMembership({
      courseId: course.id,
      userId: gone.id,
      roles: [ROLE.learner],
      active: true,
    });
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ added: everyone(), deactivated: 1 });
    expect((await world.ctx.repos.enrollments.get(course.id, gone.id))?.role).toBe('student');
    expect((await getLmsRoster(world.ctx, teacher, course.id))?.inactiveUserIds).toEqual([gone.id]);
  });

  it('an LMS email that is a ClassCast account’s makes a separate user with a placeholder address', async () => {
    const { teacher, course, contextId } = await anLmsCourse();
    const local = await aUser('student');
    const sub = lms.addMember(contextId, {
      key: `clash-${++n}`,
      name: 'Cleo Clash',
      email: local.email,
      roles: [ROLE.learner],
    });
    await syncRoster(world.ctx, teacher, course.id);
    const created = await userOf(sub);
    expect(created.id).not.toBe(local.id);
    expect(created.email).toBe(placeholderEmail(platform.issuer, sub));
    expect(await world.ctx.repos.enrollments.get(course.id, local.id)).toBeNull();
  });

  it('the course’s own instructor keeps teaching it whatever the LMS lists them as', async () => {
    const { teacher, course, contextId } = await anLmsCourse();
    const sub = lms.addMember(contextId, { key: `owner-${++n}`, name: 'Owner Teacher', roles: [ROLE.learner] });
    await world.ctx.repos.lti.linkUser(platform.issuer, sub, teacher.id);
    await syncRoster(world.ctx, teacher, course.id);
    expect((await world.ctx.repos.enrollments.get(course.id, teacher.id))?.role).toBe('instructor');
  });

  it('a sync that stopped half-way through a role change is finished by the next one', async () => {
    const { teacher, course, contextId } = await anLmsCourse();
    const key = `halfway-${++n}`;
    const sub = lms.addMember(contextId, { key, name: 'Hal Way', roles: [ROLE.learner] });
    await syncRoster(world.ctx, teacher, course.id);
    lms.addMember(contextId, { key, sub, name: 'Hal Way', roles: [ROLE.instructor] });
    // What a crash between "remove" and "enrol" leaves: the member out of the course.
    await world.ctx.repos.enrollments.remove(course.id, (await userOf(sub)).id);
    await syncRoster(world.ctx, teacher, course.id);
    expect(await roleIn(course, sub)).toBe('instructor');
    expect(await syncRoster(world.ctx, teacher, course.id)).toMatchObject({ added: 0, updated: 0, deactivated: 0 });
  });

  it('an admin may sync; students and other instructors may not', async () => {
    const { course } = await anLmsCourse();
    const [admin, other, student] = [await aUser('admin'), await aUser('instructor'), await aUser('student')];
    await world.ctx.repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
    await expectStatus(syncRoster(world.ctx, student, course.id), 403);
    await expectStatus(syncRoster(world.ctx, other, course.id), 403);
    await expectStatus(getLmsRoster(world.ctx, student, course.id), 403);
    expect((await syncRoster(world.ctx, admin, course.id)).added).toBe(everyone());
  });
});

describe('when syncing cannot work', () => {
  it('a course not from an LMS, or without the roster service, is a clear 409', async () => {
    const teacher = await aUser('instructor');
    const plain = await aCourse(teacher);
    await expect(syncRoster(world.ctx, teacher, plain.id)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/not opened from an LMS/),
    });
    expect(await getLmsRoster(world.ctx, teacher, plain.id)).toBeNull();
    const noNrps = await anLmsCourse({ membershipsUrl: null });
    await expect(syncRoster(world.ctx, noNrps.teacher, noNrps.course.id)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/does not offer its roster/),
    });
    expect(await getLmsRoster(world.ctx, noNrps.teacher, noNrps.course.id)).toMatchObject({ canSync: false });
  });

  it('an LMS that is down is a 503 and changes nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { teacher, course } = await anLmsCourse({ membershipsUrl: `http://127.0.0.1:${port}/memberships` });
    await expect(syncRoster(world.ctx, teacher, course.id)).rejects.toMatchObject({
      status: 503,
      code: 'LMS_UNAVAILABLE',
      message: expect.stringMatching(/Fake LMS cannot be reached right now\. Nothing was changed/),
    });
    expect((await world.ctx.repos.enrollments.listByCourse(course.id)).items).toHaveLength(1);
  });

  it('an LMS that fails on a later roster page changes nothing at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    // Page one answers (one new member), page two is on a host that is down.
    const pageOne = createServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
        link: `<http://127.0.0.1:${deadPort}/page2>; rel="next"`,
      });
      res.end(
        JSON.stringify({
          id: 'x',
          members: [{ user_id: `first-page-${++n}`, roles: [ROLE.learner], name: 'Pat Page' }],
        }),
      );
    });
    await new Promise<void>((resolve) => pageOne.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(pageOne.address() as AddressInfo).port}/memberships`;
      const { teacher, course } = await anLmsCourse({ membershipsUrl: url });
      await expectStatus(syncRoster(world.ctx, teacher, course.id), 503);
      expect((await world.ctx.repos.enrollments.listByCourse(course.id)).items).toHaveLength(1);
      expect((await world.ctx.repos.lti.listMemberships(course.id)).items).toHaveLength(0);
    } finally {
      await new Promise((resolve) => pageOne.close(resolve));
    }
  });

  it('an LMS that refuses the request is a 502 that says what to check', async () => {
    const { teacher, course, contextId } = await anLmsCourse();
    await world.ctx.repos.lti.saveContext({
      issuer: platform.issuer,
      contextId,
      platformId: platform.id,
      deploymentId: lms.deploymentId,
      courseId: course.id,
      title: 'Biology 101',
      membershipsUrl: `${lms.url}/contexts/${contextId}/no-such-service`,
      lineItemsUrl: null,
    });
    await expect(syncRoster(world.ctx, teacher, course.id)).rejects.toMatchObject({
      status: 502,
      code: 'LMS_REJECTED',
      message: expect.stringMatching(/Names and Role Provisioning/),
    });
  });
});
