/**
 * Contract, cursors: a cursor only continues the list (and the scope) that issued it. Handing
 * one list's cursor to another, or one course's cursor to another course's list, must be an
 * InvalidCursorError (a 400), never a silent jump into someone else's rows.
 */
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../errors';
import type { Assignment, Page, Repositories, User } from '../repository';
import { assignmentInput, submissionBundle } from './builders';
import { aJoinCode, aUser } from './repository-contract';

export function describeCursorScopeContract(getRepos: () => Repositories) {
  const repos = () => getRepos();

  async function aCourseWithStudents(teacher: User, students: User[]) {
    const course = await repos().courses.create({
      title: 'Cursor scopes',
      code: 'CS-1',
      instructorId: teacher.id,
      joinCode: aJoinCode(),
    });
    for (const s of students) await repos().enrollments.enroll({ courseId: course.id, userId: s.id, role: 'student' });
    return course;
  }

  const anAssignment = (courseId: string, instructorId: string) =>
    repos().assignments.create(assignmentInput(courseId, instructorId, { title: 'Scoped' }));

  const submit = async (a: Assignment, student: User) => {
    await repos().submissions.createWithVideo(submissionBundle(a, student));
  };

  function cursorOf<T>(page: Page<T>): string {
    expect(page.nextCursor).toBeTruthy();
    return page.nextCursor!;
  }

  async function world() {
    const teacher = await repos().users.create(aUser({ role: 'instructor' }));
    const alice = await repos().users.create(aUser({ firstName: 'Alice' }));
    const bob = await repos().users.create(aUser({ firstName: 'Bob' }));
    const course = await aCourseWithStudents(teacher, [alice, bob]);
    const other = await aCourseWithStudents(teacher, [alice, bob]);
    const a1 = await anAssignment(course.id, teacher.id);
    const a2 = await anAssignment(course.id, teacher.id);
    const b1 = await anAssignment(other.id, teacher.id);
    for (const a of [a1, a2, b1]) for (const s of [alice, alice, bob]) await submit(a, s);
    return { teacher, alice, bob, course, other, a1, a2, b1 };
  }

  describe('cursor scope', () => {
    it('a submissions cursor continues only its own assignment, student and course', async () => {
      const { alice, bob, course, other, a1, a2 } = await world();
      const byAssignment = cursorOf(await repos().submissions.listByAssignment(a1.id, { limit: 1 }));
      const refused = [
        () => repos().submissions.listByAssignment(a2.id, { limit: 1, cursor: byAssignment }),
        () => repos().submissions.listByCourse(course.id, { limit: 1, cursor: byAssignment }),
        () => repos().submissions.listByAssignmentAndStudent(a1.id, alice.id, { limit: 1, cursor: byAssignment }),
      ];
      const mine = cursorOf(await repos().submissions.listByAssignmentAndStudent(a1.id, alice.id, { limit: 1 }));
      refused.push(() => repos().submissions.listByAssignmentAndStudent(a1.id, bob.id, { limit: 1, cursor: mine }));
      refused.push(() => repos().submissions.listByAssignment(a1.id, { limit: 1, cursor: mine }));
      const byCourse = cursorOf(await repos().submissions.listByCourse(course.id, { limit: 1 }));
      refused.push(() => repos().submissions.listByCourse(other.id, { limit: 1, cursor: byCourse }));
      refused.push(() => repos().submissions.listByAssignment(a1.id, { limit: 1, cursor: byCourse }));
      for (const call of refused) await expect(call()).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('a cursor from another aggregate’s list is refused (submissions ↔ videos ↔ assignments)', async () => {
      const { teacher, course, a1 } = await world();
      const scope = { viewerId: teacher.id, includePrivate: true };
      const submissions = cursorOf(await repos().submissions.listByAssignment(a1.id, { limit: 1 }));
      const videos = cursorOf(await repos().videos.listByAssignment(a1.id, scope, { limit: 1 }));
      const videosInCourse = cursorOf(await repos().videos.listByCourse(course.id, scope, { limit: 1 }));
      const assignments = cursorOf(
        await repos().assignments.listByCourse(course.id, { includeDrafts: true }, { limit: 1 }),
      );
      const refused = [
        () => repos().videos.listByAssignment(a1.id, scope, { limit: 1, cursor: submissions }),
        () => repos().submissions.listByAssignment(a1.id, { limit: 1, cursor: videos }),
        () => repos().videos.listByCourse(course.id, scope, { limit: 1, cursor: videos }),
        () => repos().videos.listByAssignment(a1.id, scope, { limit: 1, cursor: videosInCourse }),
        () => repos().submissions.listByCourse(course.id, { limit: 1, cursor: videosInCourse }),
        () =>
          repos().assignments.listByCourse(course.id, { includeDrafts: true }, { limit: 1, cursor: videosInCourse }),
        () => repos().videos.listByCourse(course.id, scope, { limit: 1, cursor: assignments }),
      ];
      for (const call of refused) await expect(call()).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('a roster cursor does not page another course’s roster or a user’s courses', async () => {
      const { teacher, alice, course, other } = await world();
      const roster = cursorOf(await repos().enrollments.listByCourse(course.id, { limit: 1 }));
      await expect(repos().enrollments.listByCourse(other.id, { limit: 1, cursor: roster })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(repos().enrollments.listByUser(alice.id, { limit: 1, cursor: roster })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      const mine = cursorOf(await repos().enrollments.listByUser(alice.id, { limit: 1 }));
      await expect(repos().enrollments.listByUser(teacher.id, { limit: 1, cursor: mine })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });
  });
}
