import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '~/data/errors';
import { newId } from '~/data/ids';
import type { Assignment, Course, User, Visibility } from '~/data/repository';
import { toAppError } from '~/utils/api.server';
import { builders, days, expectStatus, setupServiceContext } from '../../tests/service-context';
import { encodeCursor } from '~/data/cursor';
import type { FeedItem } from './feed-view';
import { courseInitials, getStudentFeed, mergeNewestFirst } from './feed.server';

const world = setupServiceContext();
const { aUser, aCourse, anAssignment, aClass } = builders(world);

/** A video as a finalized submission leaves it (no bytes needed: the feed never plays it). */
async function aVideo(student: User, assignment: Assignment, title: string, visibility: Visibility = 'class') {
  const id = newId();
  await world.ctx.repos.submissions.createWithVideo({
    submission: {
      id,
      assignmentId: assignment.id,
      courseId: assignment.courseId,
      studentId: student.id,
      videoId: id,
      videoTitle: title,
      videoDescription: '',
      fileName: 'a.mp4',
      fileSize: 2048,
      fileType: 'video/mp4',
      durationSeconds: 3,
      isLate: false,
      submittedAt: world.ctx.now().toISOString(),
    },
    video: {
      id,
      ownerId: student.id,
      courseId: assignment.courseId,
      assignmentId: assignment.id,
      submissionId: id,
      title,
      description: '',
      storageKey: `videos/${assignment.courseId}/${assignment.id}/${student.id}/${id}.mp4`,
      contentType: 'video/mp4',
      sizeBytes: 2048,
      durationSeconds: 3,
      visibility,
    },
  });
  const video = await world.ctx.repos.videos.getById(id);
  if (!video) throw new Error('the video was not stored');
  return video;
}

function aPost(course: Course, author: User, title: string) {
  return world.ctx.repos.posts.create({
    courseId: course.id,
    authorId: author.id,
    title,
    body: `About ${title}\n<b>not bold</b>`,
    isAnnouncement: false,
  });
}

const byType = (feed: FeedItem[], type: FeedItem['type']) => feed.filter((i) => i.type === type);

describe('getStudentFeed: whose feed', () => {
  it('is the caller’s own; naming someone else is refused unless you are an admin', async () => {
    const { alice, bob, admin, teacher } = await aClass();
    await expect(getStudentFeed(world.ctx, alice, {})).resolves.toMatchObject({ feed: expect.any(Array) });
    await expect(getStudentFeed(world.ctx, alice, { userId: alice.id })).resolves.toBeTruthy();
    await expectStatus(getStudentFeed(world.ctx, alice, { userId: bob.id }), 403);
    await expectStatus(getStudentFeed(world.ctx, teacher, { userId: alice.id }), 403);
    // A made-up id is refused the same way: the answer says nothing about who exists.
    await expectStatus(getStudentFeed(world.ctx, alice, { userId: newId() }), 403);
    await expectStatus(getStudentFeed(world.ctx, null, {}), 401);
    const asAdmin = await getStudentFeed(world.ctx, admin, { userId: alice.id });
    expect(asAdmin.courses.map((c) => c.courseId)).toHaveLength(1);
    await expectStatus(getStudentFeed(world.ctx, admin, { userId: newId() }), 404);
  });

  it('rejects a bad limit with 400 and a tampered cursor with INVALID_CURSOR', async () => {
    const { alice } = await aClass();
    for (const limit of ['0', '51', '2.5', 'ten', -1]) {
      await expectStatus(getStudentFeed(world.ctx, alice, { limit }), 400);
    }
    for (const cursor of ['not-a-cursor', encodeCursor({ at: 'yesterday', id: 'x' }), encodeCursor([1, 2]), '%%%']) {
      const failure = await getStudentFeed(world.ctx, alice, { cursor }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(InvalidCursorError);
      expect(toAppError(failure)).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    }
  });
});

describe('getStudentFeed: what it shows', () => {
  it('gathers class videos, posts, published assignments and what others did on my work', async () => {
    const { teacher, alice, bob, outsider, course, assignment } = await aClass();
    const elsewhere = await aCourse(await aUser('instructor'), [outsider]);
    const foreignAssignment = await anAssignment(elsewhere);
    await aVideo(outsider, foreignAssignment, 'Not my class');
    await aPost(elsewhere, outsider, 'Other course post');

    const draft = await anAssignment(course, { status: 'draft', title: 'Still a draft' });
    const aliceVideo = await aVideo(alice, assignment, 'Alice explains', 'private');
    const bobVideo = await aVideo(bob, assignment, 'Bob explains');
    const bobPrivate = await aVideo(bob, assignment, 'Bob, privately', 'private');
    const post = await aPost(course, teacher, 'Welcome');
    const target = { type: 'video' as const, id: aliceVideo.id, courseId: course.id, ownerId: alice.id };
    const comment = await world.ctx.repos.interactions.addComment(
      { target, userId: bob.id, type: 'comment', content: 'Great start', atSeconds: 65 },
      null,
    );
    await world.ctx.repos.interactions.setLike({ target, userId: bob.id, liked: true, notification: null });
    // Alice's own comment on her video is not news to her.
    await world.ctx.repos.interactions.addComment({ target, userId: alice.id, type: 'comment', content: 'me' }, null);
    await world.ctx.repos.interactions.setLike({
      target: { type: 'video', id: bobVideo.id, courseId: course.id, ownerId: bob.id },
      userId: alice.id,
      liked: true,
      notification: null,
    });

    const { feed, courses, nextCursor } = await getStudentFeed(world.ctx, alice, {});
    expect(nextCursor).toBeNull();
    expect(courses).toEqual([
      { courseId: course.id, name: course.title, initials: 'B1', code: course.code, unreadCount: 0 },
    ]);
    const videos = byType(feed, 'video');
    expect(videos.map((v) => v.id).sort()).toEqual([aliceVideo.id, bobVideo.id].sort());
    expect(feed.some((i) => i.id === bobPrivate.id)).toBe(false);
    expect(videos.find((v) => v.id === bobVideo.id)).toMatchObject({
      type: 'video',
      title: 'Bob explains',
      url: `/videos/${bobVideo.id}`,
      videoUrl: `/videos/${bobVideo.id}`,
      thumbnailUrl: null,
      courseId: course.id,
      courseName: course.title,
      assignmentId: assignment.id,
      author: { id: bob.id, name: `${bob.firstName} ${bob.lastName}`, avatar: null, role: 'student' },
      likes: 1,
      isLiked: true,
    });
    expect(videos.find((v) => v.id === aliceVideo.id)).toMatchObject({ isLiked: false, likes: 1, comments: 2 });
    expect(byType(feed, 'community')).toEqual([
      expect.objectContaining({
        id: post.id,
        title: 'Welcome',
        content: post.body,
        url: `/community/posts/${post.id}`,
      }),
    ]);
    const assignments = byType(feed, 'assignment');
    expect(assignments.map((a) => a.id)).toEqual([assignment.id]);
    expect(assignments[0]).toMatchObject({
      status: 'active',
      dueDate: assignment.dueDate,
      url: `/assignments/${assignment.id}`,
    });
    expect(feed.some((i) => i.id === draft.id)).toBe(false);

    const news = byType(feed, 'interaction');
    expect(news.map((i) => (i.type === 'interaction' ? i.action : null)).sort()).toEqual(['comment', 'like']);
    expect(news.find((i) => i.id === comment.id)).toMatchObject({
      actor: { id: bob.id },
      content: 'Great start',
      atSeconds: 65,
      url: `/videos/${aliceVideo.id}#t=65`,
      target: { type: 'video', id: aliceVideo.id, title: 'Alice explains', url: `/videos/${aliceVideo.id}` },
    });
    expect(feed.some((i) => i.courseId === foreignAssignment.courseId)).toBe(false);

    // Newest first, by (time, id).
    const keys = feed.map((i) => `${i.timestamp}|${i.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it('pages with the cursor: every item exactly once, in order, then null', async () => {
    const { teacher, alice, bob, course, assignment } = await aClass();
    for (let i = 0; i < 4; i++) await aVideo(bob, assignment, `Take ${i}`);
    for (let i = 0; i < 3; i++) await aPost(course, i % 2 ? teacher : bob, `Post ${i}`);
    const all = (await getStudentFeed(world.ctx, alice, { limit: 50 })).feed;
    expect(all).toHaveLength(4 + 3 + 1);

    const seen: string[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await getStudentFeed(world.ctx, alice, { limit: '3', cursor });
      expect(result.feed.length).toBeLessThanOrEqual(3);
      seen.push(...result.feed.map((i) => i.id));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(all.map((i) => i.id));
  });

  it('marks a past due assignment, and says nothing for a student without courses', async () => {
    const { alice, course } = await aClass();
    await anAssignment(course, { dueDate: new Date(world.ctx.now().getTime() - days(1)).toISOString() });
    const feed = (await getStudentFeed(world.ctx, alice, {})).feed;
    expect(
      byType(feed, 'assignment')
        .map((a) => (a.type === 'assignment' ? a.status : null))
        .sort(),
    ).toEqual(['active', 'past_due']);
    const loner = await aUser('student');
    await expect(getStudentFeed(world.ctx, loner, {})).resolves.toEqual({ feed: [], courses: [], nextCursor: null });
  });
});

describe('feed helpers', () => {
  it('merges newest first across sources and stops one past the limit', () => {
    const e = (at: string, id: string) => ({ at, id });
    const merged = mergeNewestFirst(
      [
        [e('2030-01-05', 'a'), e('2030-01-01', 'b')],
        [e('2030-01-04', 'c'), e('2030-01-04', 'b2')],
        [],
        [e('2030-01-06', 'd')],
      ],
      3,
    );
    expect(merged.map((x) => x.id)).toEqual(['d', 'a', 'c', 'b2']);
  });

  it('makes course initials from the significant words', () => {
    expect(courseInitials('Introduction to Biology')).toBe('IB');
    expect(courseInitials('Biology 101')).toBe('B1');
    expect(courseInitials('art')).toBe('A');
  });
});
