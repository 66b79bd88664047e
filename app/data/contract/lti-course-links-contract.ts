/**
 * Contract, LTI 1.3 course links: the LMS contexts and resource links a course and its
 * assignments stand for, the LMS roster, where each grade's trip to the LMS stands — and grades
 * that queue their `ltiScore` outbox entry in their transaction.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataNotFoundError, InvalidCursorError } from '../errors';
import { newId } from '../ids';
import type { NewLtiContext, NewLtiResourceLink, OutboxEntry, Repositories, User } from '../repository';
import { notificationFor } from './builders';
import { aCommunity, aVideo, drain } from './community-world';
import { anIssuer, LONG_LEASE_MS, MAX_ROUNDS, MISSING_ID } from './lti-builders';

export function describeLtiCourseLinksContract(getRepos: () => Repositories) {
  const lti = () => getRepos().lti;

  function aContext(courseId: string, overrides: Partial<NewLtiContext> = {}): NewLtiContext {
    return {
      issuer: anIssuer(),
      contextId: `ctx#${randomUUID()}`,
      platformId: newId(),
      deploymentId: 'dep-1',
      courseId,
      title: 'Biology 101',
      membershipsUrl: 'https://lms.example.test/api/memberships',
      lineItemsUrl: 'https://lms.example.test/api/lineitems',
      ...overrides,
    };
  }

  function aResourceLink(courseId: string, overrides: Partial<NewLtiResourceLink> = {}): NewLtiResourceLink {
    return {
      issuer: anIssuer(),
      resourceLinkId: `rl#${randomUUID()}`,
      platformId: newId(),
      courseId,
      assignmentId: null,
      lineItemUrl: null,
      scopes: [],
      ...overrides,
    };
  }

  /** Claims until `want` entries matching `mine` were seen (or nothing is due), completing the rest. */
  async function claimOurs(mine: (entry: OutboxEntry) => boolean, want: number): Promise<OutboxEntry[]> {
    const ours: OutboxEntry[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = await getRepos().outbox.claimDue(100, LONG_LEASE_MS);
      for (const entry of batch) {
        if (mine(entry)) ours.push(entry);
        else await getRepos().outbox.complete(entry.id);
      }
      if (ours.length >= want || batch.length === 0) return ours;
    }
    throw new Error(`outbox still had due entries after ${MAX_ROUNDS} claims`);
  }

  describe('lti: course links', () => {
    describe('contexts', () => {
      it('binds a context to a course, found both ways, and updates its title and URLs', async () => {
        const courseId = newId();
        const input = aContext(courseId);
        const saved = await lti().saveContext(input);
        expect(saved).toEqual({ ...input, createdAt: saved.createdAt, updatedAt: saved.createdAt });
        expect(await lti().findContext(input.issuer, input.contextId)).toEqual(saved);
        expect(await lti().findContextByCourse(courseId)).toEqual(saved);

        const changes = { title: 'Biology 102', membershipsUrl: null, lineItemsUrl: 'https://lms.example.test/li2' };
        const updated = await lti().saveContext({ ...input, ...changes });
        expect(updated).toEqual({ ...saved, ...changes, updatedAt: updated.updatedAt });
        expect(updated.updatedAt >= saved.updatedAt).toBe(true);
        expect(await lti().findContext(input.issuer, input.contextId)).toEqual(updated);
        expect(await lti().findContextByCourse(courseId)).toEqual(updated);
      });

      it('never moves a context to another course', async () => {
        const input = aContext(newId());
        const saved = await lti().saveContext(input);
        await expect(lti().saveContext({ ...input, courseId: newId(), title: 'Moved' })).rejects.toMatchObject({
          name: 'DataConflictError',
          constraint: 'ltiContext',
        });
        expect(await lti().findContext(input.issuer, input.contextId)).toEqual(saved);
      });

      it('finds nothing for an unknown context or a course made in ClassCast', async () => {
        expect(await lti().findContext(anIssuer(), 'nope')).toBeNull();
        expect(await lti().findContextByCourse(newId())).toBeNull();
      });

      it('lets the same context id of two issuers stand for two courses', async () => {
        const contextId = randomUUID();
        const [a, b] = [aContext(newId(), { contextId }), aContext(newId(), { contextId })];
        await lti().saveContext(a);
        await lti().saveContext(b);
        expect((await lti().findContext(a.issuer, contextId))?.courseId).toBe(a.courseId);
        expect((await lti().findContext(b.issuer, contextId))?.courseId).toBe(b.courseId);
        expect((await lti().findContextByCourse(b.courseId))?.issuer).toBe(b.issuer);
      });
    });

    describe('resource links', () => {
      it('saves a link, finds it, and updates its assignment, line item and scopes', async () => {
        const courseId = newId();
        const input = aResourceLink(courseId);
        const saved = await lti().saveResourceLink(input);
        expect(saved).toEqual({ ...input, createdAt: saved.createdAt, updatedAt: saved.createdAt });
        expect(await lti().findResourceLink(input.issuer, input.resourceLinkId)).toEqual(saved);
        expect(await lti().findResourceLink(input.issuer, 'other')).toBeNull();

        const assignmentId = newId();
        const changes = {
          assignmentId,
          lineItemUrl: 'https://lms.example.test/lineitems/7',
          scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
        };
        const updated = await lti().saveResourceLink({ ...input, ...changes });
        expect(updated).toEqual({ ...saved, ...changes, updatedAt: updated.updatedAt });
        expect(await lti().findResourceLink(input.issuer, input.resourceLinkId)).toEqual(updated);
        expect(await lti().listResourceLinksByAssignment(assignmentId)).toEqual([updated]);
      });

      it('lists the links that open an assignment, oldest first, and only while they do', async () => {
        const courseId = newId();
        const assignmentId = newId();
        const first = await lti().saveResourceLink(
          aResourceLink(courseId, { assignmentId, lineItemUrl: 'https://a/1' }),
        );
        const second = await lti().saveResourceLink(
          aResourceLink(courseId, { assignmentId, lineItemUrl: 'https://b/2' }),
        );
        await lti().saveResourceLink(aResourceLink(courseId, { assignmentId: newId() }));
        await lti().saveResourceLink(aResourceLink(courseId));
        const listed = await lti().listResourceLinksByAssignment(assignmentId);
        expect(listed.map((l) => l.resourceLinkId)).toEqual([first.resourceLinkId, second.resourceLinkId]);

        // Re-pointed at another assignment (a deep link redone): it leaves this list.
        await lti().saveResourceLink({ ...second, assignmentId: newId() });
        expect(await lti().listResourceLinksByAssignment(assignmentId)).toEqual([first]);
        await lti().saveResourceLink({ ...first, assignmentId: null });
        expect(await lti().listResourceLinksByAssignment(assignmentId)).toEqual([]);
        expect(await lti().listResourceLinksByAssignment(newId())).toEqual([]);
      });
    });

    describe('memberships', () => {
      it('saves and updates members, listed in user id order across pages', async () => {
        const courseId = newId();
        const userIds = Array.from({ length: 5 }, () => newId()).reverse();
        for (const userId of userIds) {
          const saved = await lti().saveMembership({ courseId, userId, roles: ['Learner'], active: true });
          expect(saved).toEqual({ courseId, userId, roles: ['Learner'], active: true, updatedAt: saved.updatedAt });
        }
        await lti().saveMembership({ courseId: newId(), userId: userIds[0]!, roles: [], active: true });
        const dropped = await lti().saveMembership({
          courseId,
          userId: userIds[2]!,
          roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor', 'Learner'],
          active: false,
        });

        const pages: number[] = [];
        const all = await drain(async (cursor) => {
          const page = await lti().listMemberships(courseId, { limit: 2, cursor });
          pages.push(page.items.length);
          return page;
        });
        expect(pages).toEqual([2, 2, 1]);
        expect(all.map((m) => m.userId)).toEqual([...userIds].sort());
        expect(all.find((m) => m.userId === userIds[2])).toEqual(dropped);
        expect(all.every((m) => m.courseId === courseId)).toBe(true);
        expect((await lti().listMemberships(newId())).items).toEqual([]);
      });

      it('rejects a cursor from another course', async () => {
        const courseId = newId();
        for (let i = 0; i < 3; i++) await lti().saveMembership({ courseId, userId: newId(), roles: [], active: true });
        const { nextCursor } = await lti().listMemberships(courseId, { limit: 1 });
        expect(nextCursor).not.toBeNull();
        await expect(lti().listMemberships(newId(), { cursor: nextCursor })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('score statuses', () => {
      it('creates, replaces and reads statuses, one or many', async () => {
        const [a, b] = [newId(), newId()];
        const pending = await lti().saveScoreStatus({
          submissionId: a,
          state: 'pending',
          scoreGiven: 8.5,
          attempts: 0,
          lastError: null,
          sentAt: null,
        });
        expect(pending).toMatchObject({ submissionId: a, state: 'pending', scoreGiven: 8.5, attempts: 0 });
        expect(await lti().getScoreStatus(a)).toEqual(pending);

        const retrying = await lti().saveScoreStatus({
          ...pending,
          state: 'retrying',
          attempts: 2,
          lastError: 'The LMS did not answer',
        });
        expect(retrying).toEqual({
          ...pending,
          state: 'retrying',
          attempts: 2,
          lastError: 'The LMS did not answer',
          updatedAt: retrying.updatedAt,
        });
        const sentAt = new Date().toISOString();
        const sent = await lti().saveScoreStatus({
          submissionId: b,
          state: 'sent',
          scoreGiven: null,
          attempts: 1,
          lastError: null,
          sentAt,
        });
        expect(sent.sentAt).toBe(sentAt);

        const many = await lti().getScoreStatuses([a, MISSING_ID, b]);
        expect([...many].sort((x, y) => (x.submissionId < y.submissionId ? -1 : 1))).toEqual([retrying, sent]);
        expect(await lti().getScoreStatuses([])).toEqual([]);
        expect(await lti().getScoreStatus(MISSING_ID)).toBeNull();
      });
    });

    describe('beside the course’s own rows', () => {
      it('leaves the roster, the course and its lists as they were', async () => {
        const world = await aCommunity(getRepos(), 1);
        const [alice] = world.students as [User];
        const video = await aVideo(getRepos(), world, alice);
        const { course, assignment } = world;
        const before = {
          roster: await getRepos().enrollments.listByCourse(course.id),
          students: await getRepos().enrollments.countByCourse(course.id, 'student'),
          course: await getRepos().courses.getById(course.id),
          assignments: await getRepos().assignments.listByCourse(course.id, { includeDrafts: true }),
          submissions: await getRepos().submissions.listByCourse(course.id),
          mine: await getRepos().enrollments.listByUser(alice.id),
        };
        await lti().saveContext(aContext(course.id));
        await lti().saveMembership({ courseId: course.id, userId: alice.id, roles: ['Learner'], active: true });
        await lti().saveMembership({ courseId: course.id, userId: newId(), roles: ['Learner'], active: false });
        await lti().saveResourceLink(aResourceLink(course.id, { assignmentId: assignment.id }));
        await lti().saveScoreStatus({
          submissionId: video.id,
          state: 'pending',
          scoreGiven: 5,
          attempts: 0,
          lastError: null,
          sentAt: null,
        });
        expect(await getRepos().enrollments.listByCourse(course.id)).toEqual(before.roster);
        expect(await getRepos().enrollments.countByCourse(course.id, 'student')).toBe(before.students);
        expect(await getRepos().courses.getById(course.id)).toEqual(before.course);
        expect(await getRepos().assignments.listByCourse(course.id, { includeDrafts: true })).toEqual(
          before.assignments,
        );
        expect(await getRepos().submissions.listByCourse(course.id)).toEqual(before.submissions);
        expect(await getRepos().submissions.getById(video.id)).toEqual(before.submissions.items[0]);
        expect(await getRepos().enrollments.listByUser(alice.id)).toEqual(before.mine);
        expect((await lti().listMemberships(course.id)).items).toHaveLength(2);
      });
    });

    describe('grades queue their trip to the LMS', () => {
      it('writes the alsoQueue entries in the grade’s transaction, claimable with their event', async () => {
        const world = await aCommunity(getRepos(), 1);
        const [alice] = world.students as [User];
        const video = await aVideo(getRepos(), world, alice);
        const graded = await getRepos().submissions.grade({
          submissionId: video.id,
          grade: 7,
          feedback: 'Good',
          gradedBy: world.teacher.id,
          notification: notificationFor(alice, world.teacher, 'grade', video.id),
          alsoQueue: [{ topic: 'ltiScore', submissionId: video.id }],
        });
        expect(graded).toMatchObject({ id: video.id, grade: 7, status: 'graded' });
        const ours = await claimOurs(
          ({ event }) =>
            (event.topic === 'ltiScore' && event.submissionId === video.id) ||
            (event.topic === 'notification' && event.recipientId === alice.id),
          2,
        );
        expect(ours.map((e) => e.event.topic).sort()).toEqual(['ltiScore', 'notification']);
        expect(ours.find((e) => e.event.topic === 'ltiScore')).toMatchObject({
          event: { topic: 'ltiScore', submissionId: video.id },
          attempts: 0,
          lastError: null,
        });
        for (const entry of ours) await getRepos().outbox.complete(entry.id);
      });

      it('queues nothing when the grade fails (missing submission)', async () => {
        const world = await aCommunity(getRepos(), 1);
        const [alice] = world.students as [User];
        const missing = newId();
        await expect(
          getRepos().submissions.grade({
            submissionId: missing,
            grade: 1,
            feedback: '',
            gradedBy: world.teacher.id,
            notification: notificationFor(alice, world.teacher, 'grade', missing),
            alsoQueue: [{ topic: 'ltiScore', submissionId: missing }],
          }),
        ).rejects.toBeInstanceOf(DataNotFoundError);
        const leaked = await claimOurs(
          ({ event }) =>
            (event.topic === 'ltiScore' && event.submissionId === missing) ||
            (event.topic === 'notification' && event.recipientId === alice.id),
          1,
        );
        expect(leaked).toEqual([]);
      });
    });
  });
}
