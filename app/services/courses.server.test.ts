import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  createCourse,
  getCourseDetails,
  getCourseForEdit,
  joinCourse,
  listMyCourses,
  updateCourse,
} from './courses.server';

const world = setupServiceContext();
const { aClass, aUser } = builders(world);

describe('creating a course', () => {
  it('an instructor creates one and is its instructor', async () => {
    const teacher = await aUser('instructor');
    const course = await createCourse(world.ctx, teacher, { title: 'Chemistry', code: 'CH-1' });
    expect(course).toMatchObject({ instructorId: teacher.id, myRole: 'instructor' });
    expect(course.joinCode).toMatch(/^[A-Z2-9]{7}$/);
    const mine = await listMyCourses(world.ctx, teacher);
    expect(mine.courses.map((c) => c.id)).toEqual([course.id]);
  });

  it('a student may not', async () => {
    const student = await aUser('student');
    await expectStatus(createCourse(world.ctx, student, { title: 'Mine', code: 'M-1' }), 403);
  });

  it('a join code already in use is a field error', async () => {
    const teacher = await aUser('instructor');
    const first = await createCourse(world.ctx, teacher, { title: 'A', code: 'A' });
    await expectStatus(createCourse(world.ctx, teacher, { title: 'B', code: 'B', joinCode: first.joinCode }), 409);
  });
});

describe('joining a course', () => {
  it('a student joins with the code and then sees it among their courses', async () => {
    const { course, outsider } = await aClass();
    const joined = await joinCourse(world.ctx, outsider, { joinCode: course.joinCode.toLowerCase() });
    expect(joined).toMatchObject({ id: course.id, myRole: 'student' });
    expect(joined.joinCode).toBeUndefined();
    expect((await listMyCourses(world.ctx, outsider)).courses.map((c) => c.id)).toContain(course.id);
  });

  it('joining twice is 409', async () => {
    const { course, alice } = await aClass();
    await expectStatus(joinCourse(world.ctx, alice, { joinCode: course.joinCode }), 409);
  });

  it('an unknown code is 404', async () => {
    const { outsider } = await aClass();
    await expectStatus(joinCourse(world.ctx, outsider, { joinCode: 'NOPE-NOPE' }), 404);
  });

  it('instructors do not join as students', async () => {
    const { course, otherTeacher } = await aClass();
    await expectStatus(joinCourse(world.ctx, otherTeacher, { joinCode: course.joinCode }), 403);
  });
});

describe('editing a course', () => {
  it('its instructor edits it', async () => {
    const { course, teacher } = await aClass();
    const updated = await updateCourse(world.ctx, teacher, course.id, { title: 'Biology 102' });
    expect(updated.title).toBe('Biology 102');
    expect((await getCourseForEdit(world.ctx, teacher, course.id)).joinCode).toBe(course.joinCode);
  });

  it('an admin edits it', async () => {
    const { course, admin } = await aClass();
    expect((await updateCourse(world.ctx, admin, course.id, { code: 'ADM' })).code).toBe('ADM');
  });

  it('a student of it and another instructor may not, and nothing changes', async () => {
    const { course, alice, otherTeacher } = await aClass();
    await expectStatus(updateCourse(world.ctx, alice, course.id, { title: 'Hacked' }), 403);
    await expectStatus(updateCourse(world.ctx, otherTeacher, course.id, { title: 'Hacked' }), 403);
    await expectStatus(getCourseForEdit(world.ctx, alice, course.id), 403);
    expect((await world.ctx.repos.courses.getById(course.id))?.title).toBe(course.title);
  });
});

describe('course details', () => {
  it('the instructor sees the roster and the join code', async () => {
    const { course, teacher, alice, bob } = await aClass();
    const details = await getCourseDetails(world.ctx, teacher, course.id);
    expect(details.course.joinCode).toBe(course.joinCode);
    expect(details.roster?.members.map((m) => m.userId).sort()).toEqual([teacher.id, alice.id, bob.id].sort());
  });

  it('a student sees neither roster nor join code', async () => {
    const { course, alice } = await aClass();
    const details = await getCourseDetails(world.ctx, alice, course.id);
    expect(details.roster).toBeNull();
    expect(details.course.joinCode).toBeUndefined();
    expect(details.course.myRole).toBe('student');
  });

  it('someone outside the course is refused', async () => {
    const { course, outsider } = await aClass();
    await expectStatus(getCourseDetails(world.ctx, outsider, course.id), 403);
  });
});
