/**
 * THE contract suite. Every adapter's test file hands its factory to
 * `runRepositoryContract` and must pass it unchanged.
 *
 * Tests never share data: each makes its own users/courses with unique emails and codes,
 * so the suite can run against a database that already holds anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from '../errors';
import type { NewUser, Repositories, Role } from '../repository';
import { describeCursorScopeContract } from './cursor-scope-contract';
import { describeCourseworkContract } from './coursework-contract';
import { describeQueuesContract } from './queues-contract';
import { describeInteractionsContract } from './interactions-contract';
import { describeInteractionsConcurrencyContract } from './interactions-concurrency-contract';
import { describeCommunityPostsContract } from './community-posts-contract';
import { describeConnectionsContract } from './connections-contract';
import { describeFeedSourcesContract } from './feed-sources-contract';
import { describeDirectoryContract } from './directory-contract';
import { describeNotificationsContract } from './notifications-contract';
import { describeMessagesContract } from './messages-contract';
import { describeOutboxContract } from './outbox-contract';
import { describeCognitoLinksContract } from './cognito-links-contract';
import { describeLtiCourseLinksContract } from './lti-course-links-contract';
import { describeLtiRegistrationsContract } from './lti-registrations-contract';
import { describeAccountsContract } from './accounts-contract';

export interface ContractTarget {
  repos: Repositories;
  /** Optional extra teardown (stop a server...). `repos.close()` is always called. */
  teardown?: () => Promise<void>;
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`;
}

export function aUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    email: `${unique('user')}@example.test`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    role: 'student' as Role,
    passwordHash: 'hash',
    ...overrides,
  };
}

export function aJoinCode(): string {
  return unique('J').toUpperCase().slice(0, 24);
}

export function runRepositoryContract(name: string, makeTarget: () => Promise<ContractTarget>) {
  describe(`repository contract: ${name}`, () => {
    let target: ContractTarget;
    let repos: Repositories;

    beforeAll(async () => {
      target = await makeTarget();
      repos = target.repos;
    }, 120_000);

    afterAll(async () => {
      await repos?.close();
      await target?.teardown?.();
    }, 60_000);

    async function anInstructor() {
      return repos.users.create(aUser({ role: 'instructor' }));
    }

    async function aCourse(instructorId: string) {
      return repos.courses.create({
        title: 'Biology',
        code: 'BIO-101',
        description: 'Cells and more',
        instructorId,
        joinCode: aJoinCode(),
      });
    }

    describe('ping', () => {
      it('reaches the database and finds the schema current (migrations applied / tables ACTIVE)', async () => {
        await expect(repos.ping()).resolves.toEqual({ schemaCurrent: true });
      });
    });

    describe('users', () => {
      it('creates and reads a user back by id and by email', async () => {
        const input = aUser({ studentId: 'S-1', department: 'Science', bio: 'hi' });
        const created = await repos.users.create(input);
        expect(created.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(created).toMatchObject({
          email: input.email,
          firstName: 'Ada',
          lastName: 'Lovelace',
          role: 'student',
          passwordHash: 'hash',
          studentId: 'S-1',
          department: 'Science',
          bio: 'hi',
          avatar: null,
          emailVerified: false,
        });
        expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
        expect(await repos.users.getById(created.id)).toEqual(created);
        expect(await repos.users.getByEmail(input.email)).toEqual(created);
      });

      it('stores emails normalized and finds them in any case', async () => {
        const local = unique('Mixed');
        const created = await repos.users.create(aUser({ email: `  ${local}@Example.TEST ` }));
        expect(created.email).toBe(`${local.toLowerCase()}@example.test`);
        const found = await repos.users.getByEmail(`${local.toUpperCase()}@EXAMPLE.test`);
        expect(found?.id).toBe(created.id);
      });

      it('rejects a second user with the same email in another case', async () => {
        const email = `${unique('dup')}@example.test`;
        await repos.users.create(aUser({ email }));
        await expect(repos.users.create(aUser({ email: email.toUpperCase() }))).rejects.toBeInstanceOf(
          DataConflictError,
        );
      });

      it('lets exactly one of many concurrent signups with one email win', async () => {
        const email = `${unique('race')}@example.test`;
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => repos.users.create(aUser({ email, firstName: `N${i}` }))),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DataConflictError);
        const stored = await repos.users.getByEmail(email);
        expect(stored?.id).toBe((won[0] as PromiseFulfilledResult<{ id: string }>).value.id);
      });

      it('returns null for unknown ids and emails', async () => {
        expect(await repos.users.getById('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();
        expect(await repos.users.getByEmail(`${unique('nobody')}@example.test`)).toBeNull();
      });

      it('updates only the given fields and bumps updatedAt', async () => {
        const created = await repos.users.create(aUser());
        await new Promise((r) => setTimeout(r, 5));
        const updated = await repos.users.update(created.id, { bio: 'New bio', firstName: 'Grace' });
        expect(updated).toMatchObject({ id: created.id, bio: 'New bio', firstName: 'Grace', lastName: 'Lovelace' });
        expect(updated.email).toBe(created.email);
        expect(updated.updatedAt > created.updatedAt).toBe(true);
        expect(await repos.users.getById(created.id)).toEqual(updated);
      });

      it('throws not-found when updating an unknown user, and creates nothing', async () => {
        const id = '01ARZ3NDEKTSV4RRFFQ69G5FAW';
        await expect(repos.users.update(id, { bio: 'x' })).rejects.toBeInstanceOf(DataNotFoundError);
        expect(await repos.users.getById(id)).toBeNull();
      });

      it('gets many users in one call, skipping unknown ids', async () => {
        const a = await repos.users.create(aUser());
        const b = await repos.users.create(aUser());
        const found = await repos.users.getMany([a.id, 'missing-id', b.id]);
        expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
        expect(await repos.users.getMany([])).toEqual([]);
      });
    });

    describe('courses', () => {
      it('creates a course with its instructor enrolled', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        expect(course).toMatchObject({ title: 'Biology', code: 'BIO-101', instructorId: teacher.id });
        expect(await repos.courses.getById(course.id)).toEqual(course);
        const enrolment = await repos.enrollments.get(course.id, teacher.id);
        expect(enrolment).toMatchObject({ courseId: course.id, userId: teacher.id, role: 'instructor' });
      });

      it('finds a course by join code in any case', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        expect((await repos.courses.getByJoinCode(course.joinCode.toLowerCase()))?.id).toBe(course.id);
        expect(await repos.courses.getByJoinCode('NOPE-NOT-A-CODE')).toBeNull();
      });

      it('refuses a join code that is already taken and leaves nothing behind', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const other = await anInstructor();
        await expect(
          repos.courses.create({ title: 'Clash', code: 'X', instructorId: other.id, joinCode: course.joinCode }),
        ).rejects.toBeInstanceOf(DataConflictError);
        const theirs = await repos.enrollments.listByUser(other.id);
        expect(theirs.items).toEqual([]);
      });

      it('updates a course, including moving its join code', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const newCode = aJoinCode();
        const updated = await repos.courses.update(course.id, { title: 'Biology II', joinCode: newCode });
        expect(updated).toMatchObject({ id: course.id, title: 'Biology II', joinCode: newCode });
        expect((await repos.courses.getByJoinCode(newCode))?.id).toBe(course.id);
        expect(await repos.courses.getByJoinCode(course.joinCode)).toBeNull();
      });

      it('refuses to move a join code onto another course’s code', async () => {
        const teacher = await anInstructor();
        const a = await aCourse(teacher.id);
        const b = await aCourse(teacher.id);
        await expect(repos.courses.update(b.id, { joinCode: a.joinCode })).rejects.toBeInstanceOf(DataConflictError);
        expect((await repos.courses.getById(b.id))?.joinCode).toBe(b.joinCode);
      });

      it('throws not-found when updating an unknown course', async () => {
        await expect(repos.courses.update('01ARZ3NDEKTSV4RRFFQ69G5FAX', { title: 'x' })).rejects.toBeInstanceOf(
          DataNotFoundError,
        );
      });

      it('gets many courses at once', async () => {
        const teacher = await anInstructor();
        const a = await aCourse(teacher.id);
        const b = await aCourse(teacher.id);
        const found = await repos.courses.getMany([b.id, 'nope', a.id]);
        expect(found.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
      });
    });

    describe('enrollments', () => {
      it('is idempotent: enrolling twice keeps one row', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const student = await repos.users.create(aUser());
        const first = await repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
        const second = await repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
        expect(first.created).toBe(true);
        expect(second.created).toBe(false);
        expect(second.enrollment).toEqual(first.enrollment);
        const roster = await repos.enrollments.listByCourse(course.id);
        expect(roster.items.filter((e) => e.userId === student.id)).toHaveLength(1);
      });

      it('keeps one row under concurrent double enrolment', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const student = await repos.users.create(aUser());
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const mine = await repos.enrollments.listByUser(student.id);
        expect(mine.items).toHaveLength(1);
      });

      it('refuses to enrol in an unknown course or an unknown user, naming which', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const student = await repos.users.create(aUser());
        const unknown = '01ARZ3NDEKTSV4RRFFQ69G5FAZ';
        await expect(
          repos.enrollments.enroll({ courseId: unknown, userId: student.id, role: 'student' }),
        ).rejects.toMatchObject({ name: 'DataNotFoundError', entity: 'course' });
        await expect(
          repos.enrollments.enroll({ courseId: course.id, userId: unknown, role: 'student' }),
        ).rejects.toMatchObject({ name: 'DataNotFoundError', entity: 'user' });
        expect(await repos.enrollments.get(course.id, unknown)).toBeNull();
      });

      it('refuses a course whose instructor does not exist, leaving nothing behind', async () => {
        const joinCode = aJoinCode();
        await expect(
          repos.courses.create({ title: 'Ghost', code: 'G', instructorId: '01ARZ3NDEKTSV4RRFFQ69G5FB0', joinCode }),
        ).rejects.toMatchObject({ name: 'DataNotFoundError', entity: 'user' });
        expect(await repos.courses.getByJoinCode(joinCode)).toBeNull();
      });

      it('returns null for a missing enrolment', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const student = await repos.users.create(aUser());
        expect(await repos.enrollments.get(course.id, student.id)).toBeNull();
      });

      it('paginates a roster with an opaque cursor, no repeats, no gaps', async () => {
        const teacher = await anInstructor();
        const course = await aCourse(teacher.id);
        const students = [];
        for (let i = 0; i < 7; i++) students.push(await repos.users.create(aUser()));
        for (const s of students)
          await repos.enrollments.enroll({ courseId: course.id, userId: s.id, role: 'student' });

        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await repos.enrollments.listByCourse(course.id, { limit: 3, cursor });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.items.map((e) => e.userId));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 10);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.sort()).toEqual([teacher.id, ...students.map((s) => s.id)].sort());
        expect(pages).toBeGreaterThanOrEqual(3);
      });

      it('lists my courses newest first and paginates them', async () => {
        const student = await repos.users.create(aUser());
        const teacher = await anInstructor();
        const courses = [];
        for (let i = 0; i < 4; i++) {
          const c = await aCourse(teacher.id);
          courses.push(c);
          await repos.enrollments.enroll({ courseId: c.id, userId: student.id, role: 'student' });
          await new Promise((r) => setTimeout(r, 3));
        }
        const first = await repos.enrollments.listByUser(student.id, { limit: 2 });
        expect(first.items.map((e) => e.courseId)).toEqual([courses[3].id, courses[2].id]);
        expect(first.nextCursor).toBeTruthy();
        const second = await repos.enrollments.listByUser(student.id, { limit: 2, cursor: first.nextCursor });
        expect(second.items.map((e) => e.courseId)).toEqual([courses[1].id, courses[0].id]);
        const third = second.nextCursor
          ? await repos.enrollments.listByUser(student.id, { limit: 2, cursor: second.nextCursor })
          : { items: [], nextCursor: null };
        expect(third.items).toEqual([]);
        expect(third.nextCursor).toBeNull();
      });

      it('rejects a tampered cursor', async () => {
        const student = await repos.users.create(aUser());
        await expect(repos.enrollments.listByUser(student.id, { cursor: 'not-a-cursor!!' })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });

      it('the instructor sees their courses through their enrolments', async () => {
        const teacher = await anInstructor();
        const a = await aCourse(teacher.id);
        const b = await aCourse(teacher.id);
        const mine = await repos.enrollments.listByUser(teacher.id);
        expect(mine.items.map((e) => e.courseId)).toEqual([b.id, a.id]);
        expect(mine.items.every((e) => e.role === 'instructor')).toBe(true);
      });
    });

    describeCourseworkContract(() => repos);
    describeCursorScopeContract(() => repos);
    describeQueuesContract(() => repos);
    describeInteractionsContract(() => repos);
    describeInteractionsConcurrencyContract(() => repos);
    describeCommunityPostsContract(() => repos);
    describeConnectionsContract(() => repos);
    describeFeedSourcesContract(() => repos);
    describeDirectoryContract(() => repos);
    describeNotificationsContract(() => repos);
    describeMessagesContract(() => repos);
    describeOutboxContract(() => repos);
    describeCognitoLinksContract(() => repos);
    describeLtiRegistrationsContract(() => repos);
    describeLtiCourseLinksContract(() => repos);
    describeAccountsContract(() => repos);

    describe('auth sessions', () => {
      it('rotates a session generation once per token, detecting reuse', async () => {
        const user = await repos.users.create(aUser());
        const expiresAt = new Date(Date.now() + 3600_000).toISOString();
        const session = await repos.authSessions.create({ userId: user.id, expiresAt });
        expect(session).toMatchObject({ userId: user.id, generation: 0, revoked: false, expiresAt });
        const rotated = await repos.authSessions.rotate(session.id, 0);
        expect(rotated?.generation).toBe(1);
        expect(await repos.authSessions.rotate(session.id, 0)).toBeNull();
        expect((await repos.authSessions.get(session.id))?.generation).toBe(1);
      });

      it('lets only one of two concurrent rotations of the same token win', async () => {
        const user = await repos.users.create(aUser());
        const session = await repos.authSessions.create({
          userId: user.id,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        });
        const results = await Promise.all([0, 1, 2, 3].map(() => repos.authSessions.rotate(session.id, 0)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('a revoked session cannot rotate', async () => {
        const user = await repos.users.create(aUser());
        const session = await repos.authSessions.create({
          userId: user.id,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        });
        await repos.authSessions.revoke(session.id);
        expect((await repos.authSessions.get(session.id))?.revoked).toBe(true);
        expect(await repos.authSessions.rotate(session.id, 0)).toBeNull();
        expect(await repos.authSessions.rotate('01ARZ3NDEKTSV4RRFFQ69G5FAY', 0)).toBeNull();
        expect(await repos.authSessions.get('01ARZ3NDEKTSV4RRFFQ69G5FAY')).toBeNull();
      });
    });
  });
}
