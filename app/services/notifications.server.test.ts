import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { createAssignment, updateAssignment } from './assignments.server';
import { likePost } from './posts.server';
import { likeVideo } from './video-interactions.server';
import {
  createNotifications,
  headerCounts,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  openNotification,
} from './notifications.server';

const world = setupServiceContext();
const { aClass, aUser, aCourse, aSubmission } = builders(world);

const announce = (courseId: string, extra: Record<string, unknown> = {}) => ({
  courseId,
  title: 'Lab moved',
  message: 'Thursday’s lab is in room 2.',
  ...extra,
});

describe('reading notifications', () => {
  it('lists only the caller’s own, newest first, with the unread count; another userId is 403', async () => {
    const c = await aClass();
    await createNotifications(world.ctx, c.teacher, announce(c.course.id, { title: 'First' }));
    await createNotifications(world.ctx, c.teacher, announce(c.course.id, { title: 'Second' }));
    const mine = await listNotifications(world.ctx, c.alice, {});
    expect(mine.notifications.map((n) => n.title)).toEqual(['Second', 'First']);
    expect(mine.unreadCount).toBe(2);
    expect(mine.notifications[0]).toMatchObject({
      recipientId: c.alice.id,
      senderId: c.teacher.id,
      type: 'announcement',
      relatedType: 'course',
      actionUrl: `/courses/${c.course.id}`,
      isRead: false,
      actorCount: 1,
    });
    expect(mine.notifications[0]!.notificationId).toBe(mine.notifications[0]!.id);
    expect((await listNotifications(world.ctx, c.alice, { userId: c.alice.id })).notifications).toHaveLength(2);
    await expectStatus(listNotifications(world.ctx, c.alice, { userId: c.bob.id }), 403);
    await expectStatus(listNotifications(world.ctx, c.admin, { userId: c.bob.id }), 403);
    await expectStatus(listNotifications(world.ctx, null, {}), 401);
  });

  it('pages by cursor', async () => {
    const c = await aClass();
    for (const title of ['a', 'b', 'c'])
      await createNotifications(world.ctx, c.teacher, announce(c.course.id, { title }));
    const first = await listNotifications(world.ctx, c.bob, {}, { limit: 2 });
    expect(first.notifications.map((n) => n.title)).toEqual(['c', 'b']);
    const second = await listNotifications(world.ctx, c.bob, {}, { limit: 2, cursor: first.nextCursor });
    expect(second.notifications.map((n) => n.title)).toEqual(['a']);
    expect(second.nextCursor).toBeNull();
  });

  it('marks one read (someone else’s id answers as a missing one: 404) and all read', async () => {
    const c = await aClass();
    const { notificationIds } = await createNotifications(world.ctx, c.teacher, announce(c.course.id));
    const [aliceNote] = (await listNotifications(world.ctx, c.alice, {})).notifications;
    const bobsId = notificationIds.find((id) => id !== aliceNote!.id)!;
    await expectStatus(markNotificationRead(world.ctx, c.alice, bobsId), 404);
    await expectStatus(markNotificationRead(world.ctx, c.alice, '01JZZZZZZZZZZZZZZZZZZZZZZZ'), 404);
    await expectStatus(markNotificationRead(world.ctx, c.alice, ''), 404);
    expect((await markNotificationRead(world.ctx, c.alice, aliceNote!.id)).isRead).toBe(true);
    expect((await markNotificationRead(world.ctx, c.alice, aliceNote!.id)).isRead).toBe(true);
    expect((await headerCounts(world.ctx, c.bob)).unreadNotifications).toBe(1);
    await createNotifications(world.ctx, c.teacher, announce(c.course.id));
    expect(await markAllNotificationsRead(world.ctx, c.bob)).toEqual({ count: 2 });
    expect(await markAllNotificationsRead(world.ctx, c.bob)).toEqual({ count: 0 });
    expect(await headerCounts(world.ctx, c.bob)).toEqual({ unreadNotifications: 0, unreadMessages: 0 });
  });

  it('opening one reads it and goes to what it is about', async () => {
    const c = await aClass();
    await createNotifications(world.ctx, c.teacher, announce(c.course.id, { actionUrl: '/community' }));
    const [note] = (await listNotifications(world.ctx, c.alice, {})).notifications;
    expect(await openNotification(world.ctx, c.alice, note!.id)).toEqual({ redirectTo: '/community' });
    expect((await listNotifications(world.ctx, c.alice, {})).unreadCount).toBe(0);
    await expectStatus(openNotification(world.ctx, c.bob, note!.id), 404);
  });
});

describe('collapsed likes', () => {
  it('two likers of one video make ONE notification: “… and 1 other liked your video …”', async () => {
    const c = await aClass();
    const submission = await aSubmission(c.alice, c.assignment);
    const carol = await aUser('student', { firstName: 'Carol' });
    await world.ctx.repos.enrollments.enroll({ courseId: c.course.id, userId: carol.id, role: 'student' });
    await likeVideo(world.ctx, c.bob, submission.videoId, { isLiked: true });
    await likeVideo(world.ctx, carol, submission.videoId, { isLiked: true });
    const { notifications, unreadCount } = await listNotifications(world.ctx, c.alice, {});
    const likes = notifications.filter((n) => n.type === 'like');
    expect(likes).toHaveLength(1);
    expect(unreadCount).toBe(1);
    expect(likes[0]).toMatchObject({
      actorCount: 2,
      senderId: carol.id,
      actionUrl: `/videos/${submission.videoId}`,
      relatedType: 'video',
    });
    expect(likes[0]!.message).toMatch(/^Carol \S+ and 1 other liked your video “.+”\.$/);
  });

  it('likes on a post collapse the same way', async () => {
    const c = await aClass();
    const post = await world.ctx.repos.posts.create({
      courseId: c.course.id,
      authorId: c.alice.id,
      title: 'Osmosis notes',
      body: 'Here they are.',
      isAnnouncement: false,
    });
    await likePost(world.ctx, c.bob, post.id, { isLiked: true });
    await likePost(world.ctx, c.teacher, post.id, { isLiked: true });
    const likes = (await listNotifications(world.ctx, c.alice, {})).notifications.filter((n) => n.type === 'like');
    expect(likes).toHaveLength(1);
    expect(likes[0]!.message).toMatch(/ and 1 other liked your post “Osmosis notes”\.$/);
  });
});

describe('announcements', () => {
  it('an instructor reaches every student of a course they teach, in batches of at most 100', async () => {
    const teacher = await aUser('instructor');
    const students = await Promise.all(Array.from({ length: 101 }, () => aUser('student')));
    const course = await aCourse(teacher, students);
    const outsider = await aUser('student');
    const result = await createNotifications(world.ctx, teacher, announce(course.id));
    expect(result.count).toBe(101);
    expect(new Set(result.notificationIds).size).toBe(101);
    expect((await headerCounts(world.ctx, students[100]!)).unreadNotifications).toBe(1);
    expect((await headerCounts(world.ctx, outsider)).unreadNotifications).toBe(0);
    expect((await headerCounts(world.ctx, teacher)).unreadNotifications).toBe(0);
  });

  it('to one student of a taught course; not to anyone else', async () => {
    const c = await aClass();
    const one = { recipientId: c.bob.id, title: 'Well done', message: 'Great answer.', type: 'announcement' };
    expect((await createNotifications(world.ctx, c.teacher, one)).count).toBe(1);
    expect((await createNotifications(world.ctx, c.teacher, { ...one, courseId: c.course.id })).count).toBe(1);
    await expectStatus(createNotifications(world.ctx, c.teacher, { ...one, recipientId: c.outsider.id }), 403);
    await expectStatus(
      createNotifications(world.ctx, c.teacher, { ...one, recipientId: c.outsider.id, courseId: c.course.id }),
      403,
    );
    await expectStatus(createNotifications(world.ctx, c.otherTeacher, one), 403);
    await expectStatus(createNotifications(world.ctx, c.otherTeacher, announce(c.course.id)), 403);
    await expectStatus(createNotifications(world.ctx, c.alice, announce(c.course.id)), 403);
    await expectStatus(createNotifications(world.ctx, c.alice, one), 403);
    await expectStatus(createNotifications(world.ctx, null, one), 401);
  });

  it('admins reach any course or user; unknown ones are 404', async () => {
    const c = await aClass();
    expect((await createNotifications(world.ctx, c.admin, announce(c.course.id))).count).toBe(2);
    const one = { recipientId: c.outsider.id, title: 'Hello', message: 'Welcome.' };
    expect((await createNotifications(world.ctx, c.admin, one)).count).toBe(1);
    await expectStatus(
      createNotifications(world.ctx, c.admin, { ...one, recipientId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }),
      404,
    );
    await expectStatus(createNotifications(world.ctx, c.admin, announce('01JZZZZZZZZZZZZZZZZZZZZZZZ')), 404);
  });

  it('bad input is a 400 naming the field', async () => {
    const c = await aClass();
    const bad = [
      { title: 'No audience', message: 'x' },
      announce(c.course.id, { title: '' }),
      announce(c.course.id, { title: 'x'.repeat(201) }),
      announce(c.course.id, { message: 'x'.repeat(2001) }),
      announce(c.course.id, { actionUrl: 'https://evil.example/' }),
      announce(c.course.id, { actionUrl: '//evil.example/' }),
      announce(c.course.id, { actionUrl: 'javascript:alert(1)' }),
      announce(c.course.id, { type: 'party' }),
      announce(c.course.id, { courseId: 7 }),
    ];
    for (const input of bad) await expectStatus(createNotifications(world.ctx, c.teacher, input), 400);
    expect((await headerCounts(world.ctx, c.alice)).unreadNotifications).toBe(0);
  });
});

describe('assignment_published', () => {
  const due = () => new Date(world.ctx.now().getTime() + 7 * 86_400_000).toISOString();

  it('a published assignment tells every student once, linking to it; a draft tells nobody until published', async () => {
    const c = await aClass();
    const published = await createAssignment(world.ctx, c.teacher, {
      courseId: c.course.id,
      title: 'Film a cell',
      dueDate: due(),
    });
    const [note] = (await listNotifications(world.ctx, c.alice, {})).notifications;
    expect(note).toMatchObject({
      type: 'assignment_published',
      relatedType: 'assignment',
      relatedId: published.id,
      actionUrl: `/assignments/${published.id}`,
      senderId: c.teacher.id,
    });
    expect((await headerCounts(world.ctx, c.bob)).unreadNotifications).toBe(1);
    expect((await headerCounts(world.ctx, c.outsider)).unreadNotifications).toBe(0);

    const draft = await createAssignment(world.ctx, c.teacher, {
      courseId: c.course.id,
      title: 'Later',
      dueDate: due(),
      status: 'draft',
    });
    expect((await headerCounts(world.ctx, c.bob)).unreadNotifications).toBe(1);
    await updateAssignment(world.ctx, c.teacher, draft.id, { status: 'published' });
    expect((await headerCounts(world.ctx, c.bob)).unreadNotifications).toBe(2);
    await updateAssignment(world.ctx, c.teacher, draft.id, { title: 'Later, renamed' });
    expect((await headerCounts(world.ctx, c.bob)).unreadNotifications).toBe(2);
  });
});
