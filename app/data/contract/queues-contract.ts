/**
 * Contract, part 3: the "next N across courses" reads behind the dashboards and the grading
 * queue, and the removals (delete an unsubmitted assignment, end an enrolment).
 */
import { describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError } from '../errors';
import type { Assignment, Repositories, User } from '../repository';
import { assignmentInput, submissionBundle } from './builders';
import { aJoinCode, aUser } from './repository-contract';

const DAY = 86400_000;

export function describeQueuesContract(getRepos: () => Repositories) {
  const repos = () => getRepos();

  async function aCourse(teacher: User, title: string) {
    return repos().courses.create({ title, code: 'Q-1', instructorId: teacher.id, joinCode: aJoinCode() });
  }

  const anAssignment = (courseId: string, instructorId: string, overrides: Partial<Assignment> = {}) =>
    repos().assignments.create(assignmentInput(courseId, instructorId, overrides));

  const submit = async (a: Assignment, student: User, at: Date) =>
    (await repos().submissions.createWithVideo(submissionBundle(a, student, { at }))).submission;

  const grade = (submissionId: string, by: User, to: User, score: number) =>
    repos().submissions.grade({
      submissionId,
      grade: score,
      feedback: 'ok',
      gradedBy: by.id,
      notification: {
        recipientId: to.id,
        senderId: by.id,
        senderName: null,
        type: 'grade',
        title: 'graded',
        message: String(score),
        relatedId: submissionId,
        relatedType: 'submission',
        actionUrl: null,
      },
    });

  async function twoCourses() {
    const teacher = await repos().users.create(aUser({ role: 'instructor' }));
    const other = await repos().users.create(aUser({ role: 'instructor' }));
    const bio = await aCourse(teacher, 'Biology');
    const chem = await aCourse(teacher, 'Chemistry');
    const foreign = await aCourse(other, 'Elsewhere');
    const ann = await repos().users.create(aUser({ firstName: 'Ann' }));
    const ben = await repos().users.create(aUser({ firstName: 'Ben' }));
    for (const c of [bio, chem, foreign]) {
      for (const s of [ann, ben]) await repos().enrollments.enroll({ courseId: c.id, userId: s.id, role: 'student' });
    }
    return { teacher, other, bio, chem, foreign, ann, ben };
  }

  describe('assignments due next across courses', () => {
    it('lists published ones due from now on, soonest first, across the given courses only', async () => {
      const { teacher, other, bio, chem, foreign } = await twoCourses();
      const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
      await anAssignment(bio.id, teacher.id, { title: 'past', dueDate: at(-1) });
      await anAssignment(bio.id, teacher.id, { title: 'bio-3', dueDate: at(3) });
      await anAssignment(chem.id, teacher.id, { title: 'chem-1', dueDate: at(1) });
      await anAssignment(chem.id, teacher.id, { title: 'chem-2', dueDate: at(2) });
      await anAssignment(chem.id, teacher.id, { title: 'draft', dueDate: at(1), status: 'draft' });
      await anAssignment(chem.id, teacher.id, { title: 'closed', dueDate: at(1), status: 'closed' });
      const archived = await anAssignment(bio.id, teacher.id, { title: 'archived', dueDate: at(1) });
      await repos().assignments.update(archived.id, { status: 'archived' });
      await anAssignment(foreign.id, other.id, { title: 'foreign', dueDate: at(1) });

      const now = new Date().toISOString();
      const due = await repos().assignments.listDueByCourses([bio.id, chem.id], now, 10);
      expect(due.map((a) => a.title)).toEqual(['chem-1', 'chem-2', 'bio-3']);
      const two = await repos().assignments.listDueByCourses([bio.id, chem.id], now, 2);
      expect(two.map((a) => a.title)).toEqual(['chem-1', 'chem-2']);
      expect(await repos().assignments.listDueByCourses([], now, 5)).toEqual([]);
    });

    it('hides archived assignments from the students’ course list, keeps them for the instructor', async () => {
      const { teacher, bio } = await twoCourses();
      const a = await anAssignment(bio.id, teacher.id, { title: 'put away' });
      await repos().assignments.update(a.id, { status: 'archived' });
      expect((await repos().assignments.listByCourse(bio.id, { includeDrafts: false })).items).toEqual([]);
      const all = await repos().assignments.listByCourse(bio.id, { includeDrafts: true });
      expect(all.items.map((x) => [x.title, x.status])).toEqual([['put away', 'archived']]);
    });
  });

  describe('the grading queue and recent grades', () => {
    it('lists ungraded submissions of the given courses oldest first; grading takes one out', async () => {
      const { teacher, other, bio, chem, foreign, ann, ben } = await twoCourses();
      const aBio = await anAssignment(bio.id, teacher.id, { title: 'bio' });
      const aChem = await anAssignment(chem.id, teacher.id, { title: 'chem' });
      const aForeign = await anAssignment(foreign.id, other.id, { title: 'foreign' });
      const t0 = Date.now() - 10 * 60_000;
      const s1 = await submit(aChem, ann, new Date(t0));
      const s2 = await submit(aBio, ben, new Date(t0 + 60_000));
      const s3 = await submit(aBio, ann, new Date(t0 + 120_000));
      await submit(aForeign, ann, new Date(t0 - 60_000));

      const queue = await repos().submissions.listUngradedByCourses([bio.id, chem.id], 10);
      expect(queue.map((s) => s.id)).toEqual([s1.id, s2.id, s3.id]);
      expect((await repos().submissions.listUngradedByCourses([bio.id, chem.id], 2)).map((s) => s.id)).toEqual([
        s1.id,
        s2.id,
      ]);

      await grade(s2.id, teacher, ben, 7);
      expect((await repos().submissions.listUngradedByCourses([bio.id, chem.id], 10)).map((s) => s.id)).toEqual([
        s1.id,
        s3.id,
      ]);
      expect(await repos().submissions.listUngradedByCourses([], 10)).toEqual([]);
    });

    it('lists a student’s graded submissions, most recently graded first', async () => {
      const { teacher, bio, ann, ben } = await twoCourses();
      const a = await anAssignment(bio.id, teacher.id);
      const b = await anAssignment(bio.id, teacher.id);
      const first = await submit(a, ann, new Date(Date.now() - 60_000));
      const second = await submit(b, ann, new Date(Date.now() - 30_000));
      await submit(a, ben, new Date());
      expect(await repos().submissions.listGradedByStudent(ann.id, 5)).toEqual([]);
      await grade(second.id, teacher, ann, 9);
      await new Promise((r) => setTimeout(r, 5));
      await grade(first.id, teacher, ann, 6);
      const graded = await repos().submissions.listGradedByStudent(ann.id, 5);
      expect(graded.map((s) => [s.id, s.grade])).toEqual([
        [first.id, 6],
        [second.id, 9],
      ]);
      expect((await repos().submissions.listGradedByStudent(ann.id, 1)).map((s) => s.id)).toEqual([first.id]);
      expect(await repos().submissions.listGradedByStudent(ben.id, 5)).toEqual([]);
    });

    it('finds the previous and next ungraded submission of the same assignment', async () => {
      const { teacher, bio, ann, ben } = await twoCourses();
      const a = await anAssignment(bio.id, teacher.id);
      const elsewhere = await anAssignment(bio.id, teacher.id);
      const t0 = Date.now() - 10 * 60_000;
      const s1 = await submit(a, ann, new Date(t0));
      const s2 = await submit(a, ben, new Date(t0 + 60_000));
      const s3 = await submit(a, ann, new Date(t0 + 120_000));
      const s4 = await submit(a, ben, new Date(t0 + 180_000));
      await submit(elsewhere, ann, new Date(t0 + 90_000));
      await grade(s3.id, teacher, ann, 5);

      const around = (s: { id: string; submittedAt: string }) => repos().submissions.adjacentUngraded(a.id, s);
      const ids = async (s: { id: string; submittedAt: string }) => {
        const { previous, next } = await around(s);
        return [previous?.id ?? null, next?.id ?? null];
      };
      expect(await ids(s1)).toEqual([null, s2.id]);
      expect(await ids(s2)).toEqual([s1.id, s4.id]);
      // From a graded one, the neighbours still follow queue order.
      expect(await ids(s3)).toEqual([s2.id, s4.id]);
      expect(await ids(s4)).toEqual([s2.id, null]);
    });
  });

  describe('removals', () => {
    it('deletes an assignment nobody submitted to; refuses one with submissions; unknown is not found', async () => {
      const { teacher, bio, ann } = await twoCourses();
      const empty = await anAssignment(bio.id, teacher.id);
      const used = await anAssignment(bio.id, teacher.id);
      await submit(used, ann, new Date());
      await repos().assignments.deleteUnsubmitted(empty.id);
      expect(await repos().assignments.getById(empty.id)).toBeNull();
      await expect(repos().assignments.deleteUnsubmitted(used.id)).rejects.toBeInstanceOf(DataConflictError);
      expect(await repos().assignments.getById(used.id)).not.toBeNull();
      expect((await repos().submissions.listByAssignment(used.id)).items).toHaveLength(1);
      await expect(repos().assignments.deleteUnsubmitted(empty.id)).rejects.toBeInstanceOf(DataNotFoundError);
    });

    it('many students submitting at once all succeed, and the assignment can then not be deleted', async () => {
      const { teacher, bio } = await twoCourses();
      const a = await anAssignment(bio.id, teacher.id);
      const students = await Promise.all(
        Array.from({ length: 12 }, (_, i) => repos().users.create(aUser({ firstName: `S${i}` }))),
      );
      const made = await Promise.all(students.map((s) => submit(a, s, new Date())));
      expect(new Set(made.map((s) => s.id)).size).toBe(12);
      await expect(repos().assignments.deleteUnsubmitted(a.id)).rejects.toBeInstanceOf(DataConflictError);
      expect(await repos().assignments.getById(a.id)).not.toBeNull();
    });

    it('a submission to a deleted assignment is refused', async () => {
      const { teacher, bio, ann } = await twoCourses();
      const gone = await anAssignment(bio.id, teacher.id);
      await repos().assignments.deleteUnsubmitted(gone.id);
      await expect(submit(gone, ann, new Date())).rejects.toBeInstanceOf(DataNotFoundError);
    });

    it('ends an enrolment, keeping the student’s submissions; a second removal is not found', async () => {
      const { teacher, bio, ann, ben } = await twoCourses();
      const a = await anAssignment(bio.id, teacher.id);
      const s = await submit(a, ann, new Date());
      await repos().enrollments.remove(bio.id, ann.id);
      expect(await repos().enrollments.get(bio.id, ann.id)).toBeNull();
      expect(await repos().enrollments.get(bio.id, ben.id)).not.toBeNull();
      const mine = await repos().enrollments.listByUser(ann.id);
      expect(mine.items.map((e) => e.courseId)).not.toContain(bio.id);
      const roster = await repos().enrollments.listByCourse(bio.id);
      expect(roster.items.map((e) => e.userId)).not.toContain(ann.id);
      expect(await repos().submissions.getById(s.id)).not.toBeNull();
      await expect(repos().enrollments.remove(bio.id, ann.id)).rejects.toBeInstanceOf(DataNotFoundError);
      // Rejoining works after leaving.
      expect((await repos().enrollments.enroll({ courseId: bio.id, userId: ann.id, role: 'student' })).created).toBe(
        true,
      );
    });
  });
}
