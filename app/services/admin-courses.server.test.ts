/** Every course for an admin, and archiving (admin-courses.server.ts): what an archived course allows. */
import { describe, expect, it } from 'vitest';
import { builders, expectStatus, mp4Bytes, setupServiceContext } from '../../tests/service-context';
import { listAllCourses, setCourseArchived } from './admin-courses.server';
import { createAssignment } from './assignments.server';
import { joinCourse, listMyCourses } from './courses.server';
import { getDashboard } from './dashboard.server';
import { createPost, listCoursePosts } from './posts.server';
import { startUpload } from './uploads.server';

const world = setupServiceContext();
const { aClass, aCourse } = builders(world);
const inAWeek = () => new Date(world.ctx.now().getTime() + 7 * 86_400_000).toISOString();

describe('archived courses', () => {
  it('an admin lists every course with its instructor and archives one', async () => {
    const { course, teacher, admin } = await aClass();
    const archived = await setCourseArchived(world.ctx, admin, course.id, { archived: 'true' });
    expect(archived).toMatchObject({ id: course.id, archived: true });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAllCourses(world.ctx, admin, { cursor, limit: 100 });
      const mine = page.courses.find((c) => c.id === course.id);
      if (mine)
        expect(mine).toMatchObject({ archived: true, instructorName: `${teacher.firstName} ${teacher.lastName}` });
      seen.push(...page.courses.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toContain(course.id);
  });

  it('its own instructor may archive and unarchive it; another instructor may not', async () => {
    const { course, teacher, otherTeacher } = await aClass();
    await expectStatus(setCourseArchived(world.ctx, otherTeacher, course.id, { archived: true }), 403);
    expect((await setCourseArchived(world.ctx, teacher, course.id, { archived: true })).archived).toBe(true);
    expect((await setCourseArchived(world.ctx, teacher, course.id, { archived: false })).archived).toBe(false);
  });

  it('is read-only: no new assignments, submissions, posts or joins; existing content stays readable', async () => {
    const { course, teacher, alice, outsider, admin, assignment } = await aClass();
    const before = await createPost(world.ctx, alice, { courseId: course.id, title: 'Hi', content: 'Before' });
    await setCourseArchived(world.ctx, admin, course.id, { archived: true });
    await expectStatus(
      createAssignment(world.ctx, teacher, { courseId: course.id, title: 'More', dueDate: inAWeek() }),
      409,
    );
    await expectStatus(
      startUpload(world.ctx, alice, {
        assignmentId: assignment.id,
        fileName: 'a.mp4',
        contentType: 'video/mp4',
        fileSize: mp4Bytes().length,
      }),
      409,
    );
    await expectStatus(createPost(world.ctx, alice, { courseId: course.id, title: 'x', content: 'y' }), 409);
    await expectStatus(joinCourse(world.ctx, outsider, { joinCode: course.joinCode }), 409);
    const posts = await listCoursePosts(world.ctx, alice, { courseId: course.id });
    expect(JSON.stringify(posts)).toContain(before.id);
  });

  it('disappears from its students’ lists and dashboard; its instructor still sees it, marked archived', async () => {
    const { course, teacher, alice, admin } = await aClass();
    const other = await aCourse(teacher, [alice]);
    await setCourseArchived(world.ctx, admin, course.id, { archived: true });
    const studentCourses = (await listMyCourses(world.ctx, alice)).courses.map((c) => c.id);
    expect(studentCourses).toContain(other.id);
    expect(studentCourses).not.toContain(course.id);
    const dashboard = await getDashboard(world.ctx, alice);
    expect(dashboard.courses.map((c) => c.id)).not.toContain(course.id);
    const taught = (await listMyCourses(world.ctx, teacher)).courses.find((c) => c.id === course.id);
    expect(taught).toMatchObject({ archived: true });
  });
});
