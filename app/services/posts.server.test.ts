import { describe, expect, it } from 'vitest';
import type { Repositories, User } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import type { ServiceContext } from './context';
import { createPost, deletePost, getPost, likePost, listCoursePosts, updatePost } from './posts.server';

const world = setupServiceContext();
const { aClass, aUser, aCourse } = builders(world);
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

const notificationsOf = async (user: User) => (await world.ctx.repos.notifications.listByRecipient(user.id)).items;

async function aPost(author: User, courseId: string, overrides: Record<string, unknown> = {}) {
  return createPost(world.ctx, author, { courseId, title: 'Study group?', content: 'Who is in?', ...overrides });
}

/** The same context, counting calls to the named repository methods (the real adapter answers). */
function counting(ctx: ServiceContext, methods: Array<[keyof Repositories, string]>) {
  const calls: Record<string, number> = Object.fromEntries(methods.map(([r, m]) => [`${r}.${m}`, 0]));
  const repos = { ...ctx.repos } as Record<string, unknown>;
  for (const repo of new Set(methods.map(([r]) => r))) {
    const real = ctx.repos[repo] as unknown as Record<string, (...args: unknown[]) => unknown>;
    repos[repo] = new Proxy(real, {
      get: (target, name) => {
        const key = `${repo}.${String(name)}`;
        if (!(key in calls)) return target[name as string];
        return (...args: unknown[]) => {
          calls[key] += 1;
          return target[name as string](...args);
        };
      },
    });
  }
  return { ctx: { ...ctx, repos: repos as unknown as Repositories }, calls };
}

describe('writing a post', () => {
  it('a member posts; title and body are trimmed and the view has the original keys', async () => {
    const { alice, course } = await aClass();
    const post = await aPost(alice, course.id, { title: '  Hello  ', content: '  line one\nline two  ' });
    expect(post).toMatchObject({
      courseId: course.id,
      title: 'Hello',
      content: 'line one\nline two',
      authorId: alice.id,
      author: `Alice ${alice.lastName}`,
      authorAvatar: null,
      authorRole: 'student',
      isAnnouncement: false,
      likes: 0,
      comments: 0,
      isLiked: false,
    });
    expect(post.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('someone outside the course is refused with 403, and an unknown course is 404', async () => {
    const { outsider, otherTeacher, course } = await aClass();
    await expectStatus(aPost(outsider, course.id), 403);
    await expectStatus(aPost(otherTeacher, course.id), 403);
    await expectStatus(aPost(outsider, UNKNOWN), 404);
  });

  it('empty and oversize titles and bodies are 400 with the field named', async () => {
    const { alice, course } = await aClass();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ content: '\n \n' }, 'content'],
      [{ content: 'x'.repeat(10_001) }, 'content'],
      [{ title: 7 }, 'title'],
    ];
    for (const [overrides, field] of cases) {
      await expect(aPost(alice, course.id, overrides)).rejects.toMatchObject({
        status: 400,
        details: { fields: { [field]: [expect.any(String)] } },
      });
    }
    expect((await aPost(alice, course.id, { title: 'x'.repeat(200), content: 'y'.repeat(10_000) })).title).toHaveLength(
      200,
    );
    expect((await listCoursePosts(world.ctx, alice, { courseId: course.id })).posts).toHaveLength(1);
  });

  it('only the instructor or an admin posts announcements; a student’s flag is refused with 403', async () => {
    const { alice, teacher, admin, course } = await aClass();
    await expectStatus(aPost(alice, course.id, { isAnnouncement: true }), 403);
    await expectStatus(aPost(alice, course.id, { isAnnouncement: 'on' }), 403);
    expect((await aPost(teacher, course.id, { isAnnouncement: true })).isAnnouncement).toBe(true);
    expect((await aPost(admin, course.id, { isAnnouncement: 'true' })).isAnnouncement).toBe(true);
    expect((await aPost(alice, course.id, { isAnnouncement: false })).isAnnouncement).toBe(false);
    await expectStatus(aPost(teacher, course.id, { isAnnouncement: 'maybe' }), 400);
  });
});

describe('listing a course’s posts', () => {
  it('courseId is required (400) and members only (403)', async () => {
    const { alice, outsider, course } = await aClass();
    await expect(listCoursePosts(world.ctx, alice, {})).rejects.toMatchObject({
      status: 400,
      details: { fields: { courseId: [expect.any(String)] } },
    });
    await expectStatus(listCoursePosts(world.ctx, outsider, { courseId: course.id }), 403);
    await expectStatus(listCoursePosts(world.ctx, null, { courseId: course.id }), 401);
  });

  it('newest first, paginated with a cursor, and another course’s posts never appear', async () => {
    const { alice, bob, teacher, course } = await aClass();
    const other = await aCourse(teacher, [alice]);
    await aPost(alice, other.id, { title: 'elsewhere' });
    const titles = ['one', 'two', 'three', 'four', 'five'];
    for (const [i, title] of titles.entries()) await aPost(i % 2 ? bob : alice, course.id, { title });
    const first = await listCoursePosts(world.ctx, bob, { courseId: course.id }, { limit: 3 });
    expect(first.posts.map((p) => p.title)).toEqual(['five', 'four', 'three']);
    expect(first.nextCursor).not.toBeNull();
    const second = await listCoursePosts(
      world.ctx,
      bob,
      { courseId: course.id },
      { limit: 3, cursor: first.nextCursor },
    );
    expect(second.posts.map((p) => p.title)).toEqual(['two', 'one']);
    expect(second.nextCursor).toBeNull();
  });

  it('a page reads its authors in ONE users.getMany and the viewer’s likes in ONE likedBy', async () => {
    const { alice, bob, teacher, course } = await aClass();
    const carol = await aUser('student', { firstName: 'Carol' });
    await world.ctx.repos.enrollments.enroll({ courseId: course.id, userId: carol.id, role: 'student' });
    const authors = [alice, bob, carol, teacher, alice, bob];
    const posts = [];
    for (const author of authors) posts.push(await aPost(author, course.id));
    await likePost(world.ctx, bob, posts[0].id, {});
    await likePost(world.ctx, bob, posts[3].id, {});
    const { ctx, calls } = counting(world.ctx, [
      ['users', 'getMany'],
      ['users', 'getById'],
      ['interactions', 'likedBy'],
    ]);
    const { posts: page } = await listCoursePosts(ctx, bob, { courseId: course.id });
    expect(calls).toEqual({ 'users.getMany': 1, 'users.getById': 0, 'interactions.likedBy': 1 });
    expect(page.map((p) => p.author)).toEqual(authors.map((a) => `${a.firstName} ${a.lastName}`).reverse());
    expect(page.filter((p) => p.isLiked).map((p) => p.id)).toEqual([posts[3].id, posts[0].id]);
    expect(page.find((p) => p.authorId === teacher.id)?.authorRole).toBe('instructor');
  });
});

describe('reading one post', () => {
  it('members read it; outsiders get 403; unknown ids 404', async () => {
    const { alice, bob, outsider, admin, course } = await aClass();
    const post = await aPost(alice, course.id);
    expect((await getPost(world.ctx, bob, post.id)).id).toBe(post.id);
    expect((await getPost(world.ctx, admin, post.id)).id).toBe(post.id);
    await expectStatus(getPost(world.ctx, outsider, post.id), 403);
    await expectStatus(getPost(world.ctx, alice, UNKNOWN), 404);
  });
});

describe('editing and deleting', () => {
  it('the author edits title and body; nobody else may rewrite them', async () => {
    const { alice, bob, teacher, admin, course } = await aClass();
    const post = await aPost(alice, course.id);
    const edited = await updatePost(world.ctx, alice, post.id, { title: ' New title ', content: 'New body' });
    expect(edited).toMatchObject({ title: 'New title', content: 'New body' });
    for (const who of [bob, teacher, admin])
      await expectStatus(updatePost(world.ctx, who, post.id, { title: 'x' }), 403);
    await expectStatus(updatePost(world.ctx, alice, post.id, { content: '' }), 400);
    await expectStatus(updatePost(world.ctx, alice, UNKNOWN, { title: 'x' }), 404);
    expect((await getPost(world.ctx, bob, post.id)).title).toBe('New title');
  });

  it('moderators toggle the announcement flag; a student author may not, but may resend it unchanged', async () => {
    const { alice, bob, teacher, admin, course } = await aClass();
    const post = await aPost(alice, course.id);
    await expectStatus(updatePost(world.ctx, alice, post.id, { isAnnouncement: true }), 403);
    await expectStatus(updatePost(world.ctx, bob, post.id, { isAnnouncement: true }), 403);
    expect((await updatePost(world.ctx, alice, post.id, { title: 'T', isAnnouncement: false })).title).toBe('T');
    expect((await updatePost(world.ctx, teacher, post.id, { isAnnouncement: true })).isAnnouncement).toBe(true);
    expect((await updatePost(world.ctx, admin, post.id, { isAnnouncement: 'false' })).isAnnouncement).toBe(false);
    await expectStatus(updatePost(world.ctx, teacher, post.id, { title: 'taken over', isAnnouncement: true }), 403);
    expect((await getPost(world.ctx, alice, post.id)).title).toBe('T');
  });

  it('the author deletes; classmates may not; the instructor and an admin moderate', async () => {
    const { alice, bob, teacher, admin, otherTeacher, course } = await aClass();
    const mine = await aPost(alice, course.id);
    const second = await aPost(alice, course.id);
    const third = await aPost(bob, course.id);
    await expectStatus(deletePost(world.ctx, bob, mine.id), 403);
    await expectStatus(deletePost(world.ctx, otherTeacher, mine.id), 403);
    expect(await deletePost(world.ctx, alice, mine.id)).toEqual({ courseId: course.id });
    await deletePost(world.ctx, teacher, second.id);
    await deletePost(world.ctx, admin, third.id);
    await expectStatus(getPost(world.ctx, alice, mine.id), 404);
    await expectStatus(deletePost(world.ctx, alice, mine.id), 404);
    expect((await listCoursePosts(world.ctx, alice, { courseId: course.id })).posts).toEqual([]);
  });
});

describe('liking a post', () => {
  it('toggles, sets, counts exactly, and tells the author once — never yourself', async () => {
    const { alice, bob, teacher, course } = await aClass();
    const post = await aPost(alice, course.id);
    expect(await likePost(world.ctx, bob, post.id, {})).toEqual({ likes: 1, isLiked: true });
    expect(await likePost(world.ctx, bob, post.id, { isLiked: true })).toEqual({ likes: 1, isLiked: true });
    expect(await likePost(world.ctx, teacher, post.id, { isLiked: 'true' })).toEqual({ likes: 2, isLiked: true });
    expect(await likePost(world.ctx, alice, post.id, {})).toEqual({ likes: 3, isLiked: true });
    expect(await likePost(world.ctx, bob, post.id, {})).toEqual({ likes: 2, isLiked: false });
    expect(await likePost(world.ctx, bob, post.id, { isLiked: false })).toEqual({ likes: 2, isLiked: false });
    const view = await getPost(world.ctx, teacher, post.id);
    expect(view).toMatchObject({ likes: 2, isLiked: true });
    const notes = await notificationsOf(alice);
    // Likes on one post collapse into one notification: the latest liker, two distinct actors.
    expect(notes.map((n) => [n.type, n.senderId, n.relatedId, n.actionUrl, n.actorCount])).toEqual([
      ['like', teacher.id, post.id, `/community/posts/${post.id}`, 2],
    ]);
  });

  it('concurrent likes by many members count exactly', async () => {
    const { alice, teacher, course } = await aClass();
    const members = [];
    for (let i = 0; i < 8; i++) {
      const s = await aUser('student');
      await world.ctx.repos.enrollments.enroll({ courseId: course.id, userId: s.id, role: 'student' });
      members.push(s);
    }
    const post = await aPost(alice, course.id);
    await Promise.all([...members, ...members].map((m) => likePost(world.ctx, m, post.id, { isLiked: true })));
    expect((await getPost(world.ctx, teacher, post.id)).likes).toBe(8);
  });

  it('outsiders are refused, unknown posts are 404, a bad flag is 400', async () => {
    const { alice, outsider, course } = await aClass();
    const post = await aPost(alice, course.id);
    await expectStatus(likePost(world.ctx, outsider, post.id, {}), 403);
    await expectStatus(likePost(world.ctx, alice, UNKNOWN, {}), 404);
    await expectStatus(likePost(world.ctx, alice, post.id, { isLiked: 'yes please' }), 400);
    expect((await getPost(world.ctx, alice, post.id)).likes).toBe(0);
    expect(await notificationsOf(alice)).toEqual([]);
  });
});
