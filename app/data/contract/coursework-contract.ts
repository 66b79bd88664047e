/**
 * Contract, part 2: assignments, videos, submissions, interactions, grades, notifications.
 * Called from runRepositoryContract, so every adapter runs it unchanged.
 */
import { describe, expect, it } from 'vitest';
import { DataNotFoundError, InvalidCursorError } from '../errors';
import { newId } from '../ids';
import type { Assignment, Repositories } from '../repository';
import { assignmentInput, submissionBundle } from './builders';
import { aJoinCode, aUser } from './repository-contract';

export function describeCourseworkContract(getRepos: () => Repositories) {
  const repos = () => getRepos();

  async function setup() {
    const teacher = await repos().users.create(aUser({ role: 'instructor' }));
    const course = await repos().courses.create({
      title: 'Film Studies',
      code: 'FS-1',
      instructorId: teacher.id,
      joinCode: aJoinCode(),
    });
    const alice = await repos().users.create(aUser({ firstName: 'Alice' }));
    const bob = await repos().users.create(aUser({ firstName: 'Bob' }));
    for (const s of [alice, bob])
      await repos().enrollments.enroll({ courseId: course.id, userId: s.id, role: 'student' });
    return { teacher, course, alice, bob };
  }

  const anAssignment = (courseId: string, instructorId: string, overrides: Partial<Assignment> = {}) =>
    repos().assignments.create(assignmentInput(courseId, instructorId, overrides));
  const aBundle = submissionBundle;

  async function drain<T>(fetchPage: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>) {
    const all: T[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page = await fetchPage(cursor);
      all.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return all;
  }

  describe('assignments', () => {
    it('creates, reads, updates and lists by due date, hiding drafts unless asked', async () => {
      const { teacher, course } = await setup();
      const later = await anAssignment(course.id, teacher.id, {
        title: 'Later',
        dueDate: new Date(Date.now() + 9 * 86400_000).toISOString(),
      });
      const sooner = await anAssignment(course.id, teacher.id, {
        title: 'Sooner',
        dueDate: new Date(Date.now() + 2 * 86400_000).toISOString(),
      });
      const draft = await anAssignment(course.id, teacher.id, { title: 'Draft', status: 'draft' });
      expect(await repos().assignments.getById(later.id)).toEqual(later);
      expect(later).toMatchObject({ courseId: course.id, maxScore: 10, status: 'published', visibility: 'class' });

      const visible = await repos().assignments.listByCourse(course.id, { includeDrafts: false });
      expect(visible.items.map((a) => a.title)).toEqual(['Sooner', 'Later']);
      const all = await repos().assignments.listByCourse(course.id, { includeDrafts: true });
      expect(all.items.map((a) => a.id).sort()).toEqual([later.id, sooner.id, draft.id].sort());

      const updated = await repos().assignments.update(draft.id, {
        status: 'published',
        maxScore: 20,
        title: 'Now live',
      });
      expect(updated).toMatchObject({ id: draft.id, status: 'published', maxScore: 20, title: 'Now live' });
      expect((await repos().assignments.getMany([draft.id, 'nope'])).map((a) => a.id)).toEqual([draft.id]);
      await expect(repos().assignments.update('01ARZ3NDEKTSV4RRFFQ69G5FB1', { title: 'x' })).rejects.toBeInstanceOf(
        DataNotFoundError,
      );
    });

    it('fills every page even when drafts are interleaved', async () => {
      const { teacher, course } = await setup();
      for (let i = 0; i < 6; i++) {
        await anAssignment(course.id, teacher.id, {
          title: `A${i}`,
          status: i % 2 ? 'draft' : 'published',
          dueDate: new Date(Date.now() + (i + 1) * 86400_000).toISOString(),
        });
      }
      const first = await repos().assignments.listByCourse(course.id, { includeDrafts: false }, { limit: 2 });
      expect(first.items.map((a) => a.title)).toEqual(['A0', 'A2']);
      const second = await repos().assignments.listByCourse(
        course.id,
        { includeDrafts: false },
        { limit: 2, cursor: first.nextCursor },
      );
      expect(second.items.map((a) => a.title)).toEqual(['A4']);
      expect(second.nextCursor).toBeNull();
      // The total behind the pages, with the same rule for drafts.
      expect(await repos().assignments.countByCourse(course.id, { includeDrafts: false })).toBe(3);
      expect(await repos().assignments.countByCourse(course.id, { includeDrafts: true })).toBe(6);
    });
  });

  describe('submissions and videos', () => {
    it('creates submission + video + submitted interaction together, idempotently', async () => {
      const { teacher, course, alice } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const bundle = aBundle(a, alice);
      const first = await repos().submissions.createWithVideo(bundle);
      expect(first.created).toBe(true);
      expect(first.submission).toMatchObject({
        id: bundle.submission.id,
        videoId: bundle.submission.id,
        status: 'submitted',
        grade: null,
        instructorFeedback: null,
        studentId: alice.id,
      });
      const again = await repos().submissions.createWithVideo(bundle);
      expect(again.created).toBe(false);
      expect(again.submission).toEqual(first.submission);

      const video = await repos().videos.getById(bundle.video.id);
      expect(video).toMatchObject({
        ownerId: alice.id,
        viewCount: 0,
        likeCount: 0,
        commentCount: 0,
        submissionId: bundle.submission.id,
      });
      const interactions = await repos().interactions.listByVideo(bundle.video.id);
      expect(interactions.items).toHaveLength(1);
      expect(interactions.items[0]).toMatchObject({ videoId: bundle.video.id, userId: alice.id, type: 'submitted' });
      const history = await repos().submissions.listByAssignmentAndStudent(a.id, alice.id);
      expect(history.items).toHaveLength(1);
    });

    it('keeps exactly one submission under concurrent finalize retries', async () => {
      const { teacher, course, alice } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const bundle = aBundle(a, alice);
      const results = await Promise.all([1, 2, 3, 4].map(() => repos().submissions.createWithVideo(bundle)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await repos().interactions.listByVideo(bundle.video.id)).items).toHaveLength(1);
      expect((await repos().submissions.listByAssignment(a.id)).items).toHaveLength(1);
    });

    it('lists history newest first per student, per assignment and per course', async () => {
      const { teacher, course, alice, bob } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const t0 = Date.now();
      const a1 = aBundle(a, alice, { at: new Date(t0 - 3000) });
      const b1 = aBundle(a, bob, { at: new Date(t0 - 2000) });
      const a2 = aBundle(a, alice, { at: new Date(t0 - 1000) });
      for (const b of [a1, b1, a2]) await repos().submissions.createWithVideo(b);

      const mine = await repos().submissions.listByAssignmentAndStudent(a.id, alice.id);
      expect(mine.items.map((s) => s.id)).toEqual([a2.submission.id, a1.submission.id]);
      const all = await drain((cursor) => repos().submissions.listByAssignment(a.id, { limit: 2, cursor }));
      expect(all.map((s) => s.id)).toEqual([a2.submission.id, b1.submission.id, a1.submission.id]);
      const inCourse = await repos().submissions.listByCourse(course.id);
      expect(inCourse.items.map((s) => s.id)).toEqual([a2.submission.id, b1.submission.id, a1.submission.id]);
      await expect(repos().submissions.listByAssignment(a.id, { cursor: 'garbage' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it('filters a course list by student before the limit: every page but the last is full', async () => {
      const { teacher, course, alice, bob } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const t0 = Date.now();
      const alices = [aBundle(a, alice, { at: new Date(t0 - 9000) }), aBundle(a, alice, { at: new Date(t0 - 8000) })];
      // Bob's are newer, so they come first in the course: a filter after the limit would
      // give Alice empty pages.
      const bobs = Array.from({ length: 6 }, (_, i) => aBundle(a, bob, { at: new Date(t0 - 7000 + i * 100) }));
      for (const b of [...alices, ...bobs]) await repos().submissions.createWithVideo(b);

      const first = await repos().submissions.listByCourse(course.id, { limit: 1 }, { studentId: alice.id });
      expect(first.items.map((s) => s.id)).toEqual([alices[1].submission.id]);
      expect(first.nextCursor).not.toBeNull();
      const second = await repos().submissions.listByCourse(
        course.id,
        { limit: 1, cursor: first.nextCursor },
        { studentId: alice.id },
      );
      expect(second.items.map((s) => s.id)).toEqual([alices[0].submission.id]);
      const mine = await drain((cursor) =>
        repos().submissions.listByCourse(course.id, { limit: 2, cursor }, { studentId: alice.id }),
      );
      expect(mine.map((s) => s.id)).toEqual([alices[1].submission.id, alices[0].submission.id]);
      const unfiltered = await repos().submissions.listByCourse(course.id, { limit: 3 });
      expect(unfiltered.items).toHaveLength(3);
      expect(unfiltered.items.every((s) => s.studentId === bob.id)).toBe(true);
    });

    it('answers the latest submission per student, by course, by course and student, by assignment', async () => {
      const { teacher, course, alice, bob } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const b = await anAssignment(course.id, teacher.id, { title: 'Second' });
      const t0 = Date.now();
      const aliceOld = aBundle(a, alice, { at: new Date(t0 - 5000) });
      const aliceNew = aBundle(a, alice, { at: new Date(t0 - 4000) });
      const bobA = aBundle(a, bob, { at: new Date(t0 - 3000) });
      const aliceB = aBundle(b, alice, { at: new Date(t0 - 2000) });
      for (const x of [aliceNew, aliceOld, bobA, aliceB]) await repos().submissions.createWithVideo(x);
      const ids = (list: { id: string }[]) => list.map((s) => s.id).sort();

      expect(ids(await repos().submissions.latestPerStudent({ courseId: course.id }))).toEqual(
        ids([aliceNew.submission, bobA.submission, aliceB.submission]),
      );
      expect(ids(await repos().submissions.latestPerStudent({ courseId: course.id, studentId: alice.id }))).toEqual(
        ids([aliceNew.submission, aliceB.submission]),
      );
      expect(ids(await repos().submissions.latestPerStudent({ assignmentId: a.id }))).toEqual(
        ids([aliceNew.submission, bobA.submission]),
      );
      expect(await repos().submissions.latestPerStudent({ assignmentId: newId() })).toEqual([]);
      expect(await repos().submissions.latestPerStudent({ courseId: 'not-an-id' })).toEqual([]);
    });

    it('counts a course’s members by role', async () => {
      const { course } = await setup();
      expect(await repos().enrollments.countByCourse(course.id, 'student')).toBe(2);
      // Creating a course enrols its instructor.
      expect(await repos().enrollments.countByCourse(course.id, 'instructor')).toBe(1);
      expect(await repos().enrollments.countByCourse(newId(), 'student')).toBe(0);
    });

    it('scopes video lists: private videos only for their owner or when includePrivate', async () => {
      const { teacher, course, alice, bob } = await setup();
      const open = await anAssignment(course.id, teacher.id, { visibility: 'class' });
      const closed = await anAssignment(course.id, teacher.id, { visibility: 'private' });
      const aliceOpen = aBundle(open, alice);
      const alicePrivate = aBundle(closed, alice);
      const bobPrivate = aBundle(closed, bob);
      for (const b of [aliceOpen, alicePrivate, bobPrivate]) await repos().submissions.createWithVideo(b);

      const asBob = await repos().videos.listByCourse(course.id, { viewerId: bob.id, includePrivate: false });
      expect(asBob.items.map((v) => v.id).sort()).toEqual([aliceOpen.video.id, bobPrivate.video.id].sort());
      const asTeacher = await repos().videos.listByCourse(course.id, { viewerId: teacher.id, includePrivate: true });
      expect(asTeacher.items.map((v) => v.id)).toEqual([
        bobPrivate.video.id,
        alicePrivate.video.id,
        aliceOpen.video.id,
      ]);
      const byAssignment = await repos().videos.listByAssignment(closed.id, {
        viewerId: bob.id,
        includePrivate: false,
      });
      expect(byAssignment.items.map((v) => v.id)).toEqual([bobPrivate.video.id]);
      const byOwner = await repos().videos.listByOwner(alice.id, { viewerId: bob.id, includePrivate: false });
      expect(byOwner.items.map((v) => v.id)).toEqual([aliceOpen.video.id]);
      const paged = await drain((cursor) =>
        repos().videos.listByCourse(course.id, { viewerId: teacher.id, includePrivate: true }, { limit: 1, cursor }),
      );
      expect(paged).toHaveLength(3);
      expect((await repos().videos.getMany([aliceOpen.video.id, 'x'])).map((v) => v.id)).toEqual([aliceOpen.video.id]);
    });

    it('counts a view once per viewer per day, exactly, under concurrency', async () => {
      const { teacher, course, alice, bob } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const bundle = aBundle(a, alice);
      await repos().submissions.createWithVideo(bundle);
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() => repos().videos.recordView(bundle.video.id, bob.id, '2026-11-25')),
      );
      expect(results.filter((r) => r.counted)).toHaveLength(1);
      const next = await repos().videos.recordView(bundle.video.id, bob.id, '2026-11-26');
      expect(next).toEqual({ counted: true, viewCount: 2 });
      const other = await repos().videos.recordView(bundle.video.id, teacher.id, '2026-11-26');
      expect(other).toEqual({ counted: true, viewCount: 3 });
      expect((await repos().videos.getById(bundle.video.id))?.viewCount).toBe(3);
      await expect(
        repos().videos.recordView('01ARZ3NDEKTSV4RRFFQ69G5FB2', bob.id, '2026-11-26'),
      ).rejects.toBeInstanceOf(DataNotFoundError);
    });
  });

  describe('grading', () => {
    it('grades and writes the notification in one transaction', async () => {
      const { teacher, course, alice } = await setup();
      const a = await anAssignment(course.id, teacher.id);
      const bundle = aBundle(a, alice);
      await repos().submissions.createWithVideo(bundle);
      const graded = await repos().submissions.grade({
        submissionId: bundle.submission.id,
        grade: 8.5,
        feedback: 'Clear and well paced.',
        gradedBy: teacher.id,
        notification: {
          recipientId: alice.id,
          senderId: teacher.id,
          senderName: 'Teacher',
          type: 'grade',
          title: 'Your submission was graded',
          message: '8.5 / 10',
          relatedId: bundle.submission.id,
          relatedType: 'submission',
          actionUrl: `/submissions/${bundle.submission.id}`,
        },
      });
      expect(graded).toMatchObject({
        status: 'graded',
        grade: 8.5,
        instructorFeedback: 'Clear and well paced.',
        gradedBy: teacher.id,
      });
      expect(graded.gradedAt).toBeTruthy();
      expect(await repos().submissions.getById(bundle.submission.id)).toEqual(graded);
      const inbox = await repos().notifications.listByRecipient(alice.id);
      expect(inbox.items).toHaveLength(1);
      expect(inbox.items[0]).toMatchObject({
        type: 'grade',
        relatedId: bundle.submission.id,
        isRead: false,
        recipientId: alice.id,
      });
    });

    it('grading an unknown submission writes no notification', async () => {
      const { teacher, alice } = await setup();
      await expect(
        repos().submissions.grade({
          submissionId: '01ARZ3NDEKTSV4RRFFQ69G5FB3',
          grade: 1,
          feedback: '',
          gradedBy: teacher.id,
          notification: {
            recipientId: alice.id,
            senderId: teacher.id,
            senderName: null,
            type: 'grade',
            title: 't',
            message: 'm',
            relatedId: null,
            relatedType: null,
            actionUrl: null,
          },
        }),
      ).rejects.toBeInstanceOf(DataNotFoundError);
      expect((await repos().notifications.listByRecipient(alice.id)).items).toEqual([]);
    });
  });
}
