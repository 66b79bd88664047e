import { describe, expect, it } from 'vitest';
import { builders, expectStatus, mp4Bytes, setupServiceContext } from '../../tests/service-context';
import { listAllCourses, setCourseArchived } from './admin-courses.server';
import { adminHealth } from './admin-health.server';
import { getUserForAdmin, sendPasswordResetAsAdmin, updateUserAsAdmin } from './admin-users.server';
import { openAdminArea } from './admin-area.server';
import { createAssignment } from './assignments.server';
import { joinCourse, listMyCourses } from './courses.server';
import { getDashboard } from './dashboard.server';
import { createPost, listCoursePosts } from './posts.server';
import { startUpload } from './uploads.server';

const world = setupServiceContext();
const { aClass, aUser, aCourse } = builders(world);
const inAWeek = () => new Date(world.ctx.now().getTime() + 7 * 86_400_000).toISOString();

async function aSession(userId: string) {
  return world.ctx.repos.authSessions.create({ userId, expiresAt: inAWeek() });
}

describe('the admin area is admins only', () => {
  it('refuses students and instructors every action with 403, and anonymous callers with 401', async () => {
    const { teacher, alice, course, admin } = await aClass();
    for (const actor of [teacher, alice]) {
      expect(() => openAdminArea(actor)).toThrow(expect.objectContaining({ status: 403 }));
      await expectStatus(getUserForAdmin(world.ctx, actor, admin.id), 403);
      await expectStatus(updateUserAsAdmin(world.ctx, actor, alice.id, { role: 'instructor' }), 403);
      await expectStatus(updateUserAsAdmin(world.ctx, actor, alice.id, { disabled: true }), 403);
      await expectStatus(sendPasswordResetAsAdmin(world.ctx, actor, alice.id), 403);
      await expectStatus(listAllCourses(world.ctx, actor), 403);
      await expectStatus(adminHealth(world.ctx, actor), 403);
    }
    await expectStatus(setCourseArchived(world.ctx, alice, course.id, { archived: true }), 403);
    await expectStatus(listAllCourses(world.ctx, null), 401);
    expect((await world.ctx.repos.users.getById(alice.id))?.role).toBe('student');
    expect((await world.ctx.repos.courses.getById(course.id))?.archivedAt).toBeNull();
  });
});

describe('changing roles and access', () => {
  it('an admin makes a student an instructor', async () => {
    const { alice, admin } = await aClass();
    const updated = await updateUserAsAdmin(world.ctx, admin, alice.id, { role: 'instructor' });
    expect(updated).toMatchObject({ id: alice.id, role: 'instructor', disabled: false });
    expect(updated).not.toHaveProperty('passwordHash');
    expect((await world.ctx.repos.users.getById(alice.id))?.role).toBe('instructor');
  });

  it('an admin cannot demote or disable themselves', async () => {
    const admin = await aUser('admin');
    await expect(updateUserAsAdmin(world.ctx, admin, admin.id, { role: 'student' })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/your own role/),
    });
    await expect(updateUserAsAdmin(world.ctx, admin, admin.id, { disabled: true })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/your own account/),
    });
    const after = await world.ctx.repos.users.getById(admin.id);
    expect(after).toMatchObject({ role: 'admin', disabledAt: null });
  });

  it('disabling revokes every session of the user; enabling lets them sign in again', async () => {
    const { bob, admin } = await aClass();
    const [phone, laptop] = [await aSession(bob.id), await aSession(bob.id)];
    const mine = await aSession(admin.id);
    const disabled = await updateUserAsAdmin(world.ctx, admin, bob.id, { disabled: 'true' });
    expect(disabled.disabled).toBe(true);
    expect((await world.ctx.repos.users.getById(bob.id))?.disabledAt).toBe(disabled.disabledAt);
    expect(await world.ctx.repos.authSessions.listActiveByUser(bob.id, world.ctx.now().toISOString())).toEqual([]);
    for (const s of [phone, laptop]) expect((await world.ctx.repos.authSessions.get(s.id))?.revoked).toBe(true);
    expect((await world.ctx.repos.authSessions.get(mine.id))?.revoked).toBe(false);
    const enabled = await updateUserAsAdmin(world.ctx, admin, bob.id, { disabled: false });
    expect(enabled).toMatchObject({ disabled: false, disabledAt: null });
  });

  it('bad input is a 400, an unknown user a 404', async () => {
    const { alice, admin } = await aClass();
    await expectStatus(updateUserAsAdmin(world.ctx, admin, alice.id, { role: 'owner' }), 400);
    await expectStatus(updateUserAsAdmin(world.ctx, admin, alice.id, {}), 400);
    await expectStatus(updateUserAsAdmin(world.ctx, admin, 'no-such-user', { role: 'student' }), 404);
  });
});

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

describe('health', () => {
  it('reports the database up with its schema, the queues, and where mail goes', async () => {
    const admin = await aUser('admin');
    const health = await adminHealth(world.ctx, admin);
    expect(health.database).toMatchObject({ state: 'up', schemaCurrent: true });
    expect(health.storage.state).toBe('up');
    expect(health.jobs.state).toBe('up');
    expect(typeof health.mailQueue.pending).toBe('number');
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('shows a dependency that is down as down instead of failing', async () => {
    const admin = await aUser('admin');
    const broken = new Error('connection refused');
    const repos = new Proxy(world.ctx.repos, {
      get: (target, key) => (key === 'ping' ? () => Promise.reject(broken) : Reflect.get(target, key)),
    });
    const storage = { ...world.ctx.storage, ping: () => Promise.reject(broken) };
    const health = await adminHealth({ ...world.ctx, repos, storage }, admin);
    expect(health.database).toMatchObject({ state: 'down', latencyMs: null });
    expect(health.storage.state).toBe('down');
  });
});
