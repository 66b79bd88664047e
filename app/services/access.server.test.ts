import { describe, expect, it } from 'vitest';
import { builders, days, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  requireAssignmentAccess,
  requireAssignmentInstructor,
  requireCourseInstructor,
  requireCourseMember,
  requireCourseStudent,
  requireMayListOwner,
  requireMayListStudent,
  requireOwnUploadKey,
  requireRole,
  requireSubmissionAccess,
  requireSubmissionGrader,
  requireSubmitter,
  requireUser,
  submitRefusal,
} from './access.server';
import { makeUploadKey } from './upload-keys';

const world = setupServiceContext();
const { aClass, aSubmission, anAssignment } = builders(world);

describe('identity and role', () => {
  it('no user is 401', () => {
    expect(() => requireUser(null)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('a role outside the list is 403; inside it returns the user', async () => {
    const { alice, teacher } = await aClass();
    expect(() => requireRole(alice, 'instructor', 'admin')).toThrow(expect.objectContaining({ status: 403 }));
    expect(requireRole(teacher, 'instructor', 'admin')).toBe(teacher);
  });
});

describe('course membership', () => {
  it('an enrolled student is a member and gets their enrolment', async () => {
    const { alice, course } = await aClass();
    const access = await requireCourseMember(world.ctx, alice, course.id);
    expect(access).toMatchObject({ user: alice, role: 'student', isInstructor: false });
    expect(access.enrollment?.userId).toBe(alice.id);
  });

  it('a student who is not enrolled is refused', async () => {
    const { outsider, course } = await aClass();
    await expectStatus(requireCourseMember(world.ctx, outsider, course.id), 403);
  });

  it('an admin is a member of every course without an enrolment', async () => {
    const { admin, course } = await aClass();
    expect(await requireCourseMember(world.ctx, admin, course.id)).toMatchObject({
      role: 'admin',
      enrollment: null,
      isInstructor: true,
    });
  });

  it('an unknown course is 404', async () => {
    const { alice } = await aClass();
    await expectStatus(requireCourseMember(world.ctx, alice, '01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404);
  });
});

describe('course instructor', () => {
  it('the course instructor passes and gets themself back, not a cast', async () => {
    const { teacher, course } = await aClass();
    const access = await requireCourseInstructor(world.ctx, teacher, course.id);
    expect(access.user).toBe(teacher);
    expect(access.role).toBe('instructor');
  });

  it('an admin passes', async () => {
    const { admin, course } = await aClass();
    expect((await requireCourseInstructor(world.ctx, admin, course.id)).isInstructor).toBe(true);
  });

  it('another course’s instructor is refused', async () => {
    const { otherTeacher, course } = await aClass();
    await expectStatus(requireCourseInstructor(world.ctx, otherTeacher, course.id), 403);
  });

  it('an enrolled student is refused', async () => {
    const { alice, course } = await aClass();
    await expectStatus(requireCourseInstructor(world.ctx, alice, course.id), 403);
  });
});

describe('course student', () => {
  it('only an enrolled student passes: not the instructor, not an admin, not an outsider', async () => {
    const { alice, teacher, admin, outsider, course } = await aClass();
    expect((await requireCourseStudent(world.ctx, alice, course.id)).enrollment.role).toBe('student');
    await expectStatus(requireCourseStudent(world.ctx, teacher, course.id), 403);
    await expectStatus(requireCourseStudent(world.ctx, admin, course.id), 403);
    await expectStatus(requireCourseStudent(world.ctx, outsider, course.id), 403);
  });
});

describe('assignments', () => {
  it('a draft is invisible (404) to students and visible to its instructor', async () => {
    const { alice, teacher, course } = await aClass();
    const draft = await anAssignment(course, { status: 'draft' });
    await expectStatus(requireAssignmentAccess(world.ctx, alice, draft.id), 404);
    expect((await requireAssignmentAccess(world.ctx, teacher, draft.id)).assignment.id).toBe(draft.id);
  });

  it('a published assignment is seen by members only', async () => {
    const { alice, outsider, assignment } = await aClass();
    expect((await requireAssignmentAccess(world.ctx, alice, assignment.id)).assignment.id).toBe(assignment.id);
    await expectStatus(requireAssignmentAccess(world.ctx, outsider, assignment.id), 403);
  });

  it('editing views need the course instructor', async () => {
    const { alice, teacher, otherTeacher, assignment } = await aClass();
    await expectStatus(requireAssignmentInstructor(world.ctx, alice, assignment.id), 403);
    await expectStatus(requireAssignmentInstructor(world.ctx, otherTeacher, assignment.id), 403);
    expect((await requireAssignmentInstructor(world.ctx, teacher, assignment.id)).user).toBe(teacher);
  });
});

describe('may submit now', () => {
  const open = { status: 'published' as const, dueDate: new Date(Date.now() + days(1)).toISOString() };
  const past = { status: 'published' as const, dueDate: new Date(Date.now() - days(1)).toISOString() };
  const now = new Date();

  it('before the due date: first and further submissions', () => {
    expect(submitRefusal(open, now, [])).toBeNull();
    expect(submitRefusal(open, now, [{ id: 'a' }])).toBeNull();
  });

  it('after the due date: a first (late) submission yes, a replacement no', () => {
    expect(submitRefusal(past, now, [])).toBeNull();
    expect(submitRefusal(past, now, [{ id: 'a' }])?.status).toBe(409);
  });

  it('a retry of the submission being finalized is not a replacement', () => {
    expect(submitRefusal(past, now, [{ id: 'a' }], 'a')).toBeNull();
  });

  it('closed and draft assignments accept nothing', () => {
    expect(submitRefusal({ ...open, status: 'closed' }, now, [])?.status).toBe(409);
    expect(submitRefusal({ ...open, status: 'draft' }, now, [])?.status).toBe(409);
  });

  it('requireSubmitter proves enrolment before saying anything about the assignment', async () => {
    const { outsider, teacher, course } = await aClass();
    const closed = await anAssignment(course, { status: 'closed' });
    await expectStatus(requireSubmitter(world.ctx, outsider, closed.id), 403);
    await expectStatus(requireSubmitter(world.ctx, teacher, closed.id), 403);
  });
});

describe('upload keys', () => {
  it('a key issued to the caller for this assignment passes', async () => {
    const { alice, assignment } = await aClass();
    const key = makeUploadKey(assignment, alice.id, 'video/mp4');
    expect(requireOwnUploadKey(key.key, alice, assignment)).toEqual(key);
  });

  it('a key naming another student is refused', async () => {
    const { alice, bob, assignment } = await aClass();
    const key = makeUploadKey(assignment, bob.id, 'video/mp4');
    expect(() => requireOwnUploadKey(key.key, alice, assignment)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('a key for another assignment or another course is refused', async () => {
    const { alice, course, assignment } = await aClass();
    const other = await anAssignment(course);
    const forOther = makeUploadKey(other, alice.id, 'video/mp4');
    expect(() => requireOwnUploadKey(forOther.key, alice, assignment)).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    const wrongCourse = makeUploadKey({ id: assignment.id, courseId: other.id }, alice.id, 'video/mp4');
    expect(() => requireOwnUploadKey(wrongCourse.key, alice, assignment)).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });

  it('anything that is not a key we issue is 400', async () => {
    const { alice } = await aClass();
    for (const key of ['', 'videos/../x', 42, null, 'videos/a/b/c/d.mp4']) {
      expect(() => requireOwnUploadKey(key, alice)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe('submissions', () => {
  it('its student sees it and may not grade it', async () => {
    const { alice, assignment } = await aClass();
    const s = await aSubmission(alice, assignment);
    expect(await requireSubmissionAccess(world.ctx, alice, s.id)).toMatchObject({ mayGrade: false });
    await expectStatus(requireSubmissionGrader(world.ctx, alice, s.id), 403);
  });

  it('a classmate gets 404', async () => {
    const { alice, bob, assignment } = await aClass();
    const s = await aSubmission(alice, assignment);
    await expectStatus(requireSubmissionAccess(world.ctx, bob, s.id), 404);
  });

  it('the course instructor and admins may grade; another instructor gets 404', async () => {
    const { alice, teacher, admin, otherTeacher, assignment, course } = await aClass();
    const s = await aSubmission(alice, assignment);
    const proved = await requireSubmissionGrader(world.ctx, teacher, s.id);
    expect(proved).toMatchObject({ user: teacher, mayGrade: true });
    expect(proved.course.id).toBe(course.id);
    expect(proved.assignment.id).toBe(assignment.id);
    expect((await requireSubmissionGrader(world.ctx, admin, s.id)).mayGrade).toBe(true);
    await expectStatus(requireSubmissionAccess(world.ctx, otherTeacher, s.id), 404);
  });
});

describe('list filters', () => {
  it('a userId naming someone else is for admins only', async () => {
    const { alice, bob, admin } = await aClass();
    expect(requireMayListOwner(alice, undefined)).toBe(alice.id);
    expect(() => requireMayListOwner(alice, bob.id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(requireMayListOwner(admin, bob.id)).toBe(bob.id);
  });

  it('students list only their own submissions', async () => {
    const { alice, bob, teacher } = await aClass();
    expect(() => requireMayListStudent(alice, bob.id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireMayListStudent(alice, alice.id)).not.toThrow();
    expect(() => requireMayListStudent(teacher, bob.id)).not.toThrow();
  });
});
