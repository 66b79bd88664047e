import { describe, expect, it } from 'vitest';
import type { User } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getCommunityPage, getPostForEdit, getPostPage } from './community-page.server';
import { addPostComment, deletePostComment, listPostComments } from './post-comments.server';
import { createPost, getPost } from './posts.server';

const world = setupServiceContext();
const { aClass, aCourse } = builders(world);
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

const notificationsOf = async (user: User) => (await world.ctx.repos.notifications.listByRecipient(user.id)).items;

async function discussion() {
  const c = await aClass();
  const post = await createPost(world.ctx, c.alice, {
    courseId: c.course.id,
    title: 'Lab notes',
    content: 'Share yours',
  });
  return { ...c, post };
}

describe('commenting on a post', () => {
  it('a classmate comments; the count is exact and the author is told', async () => {
    const { alice, bob, post } = await discussion();
    const comment = await addPostComment(world.ctx, bob, post.id, { content: '  Mine are here  ' });
    expect(comment).toMatchObject({
      postId: post.id,
      parentId: null,
      content: 'Mine are here',
      userId: bob.id,
      author: `Bob ${bob.lastName}`,
      authorRole: 'student',
      replyCount: 0,
      canDelete: true,
      replies: [],
    });
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(1);
    const [note] = await notificationsOf(alice);
    expect(note).toMatchObject({ type: 'comment', senderId: bob.id, relatedId: post.id, relatedType: 'post' });
  });

  it('your own comment on your own post tells nobody', async () => {
    const { alice, post } = await discussion();
    await addPostComment(world.ctx, alice, post.id, { content: 'bump' });
    expect(await notificationsOf(alice)).toEqual([]);
  });

  it('empty and oversize comments are 400; outsiders 403; unknown posts 404 — nothing is written', async () => {
    const { alice, bob, outsider, post } = await discussion();
    for (const content of ['', '   \n', 'x'.repeat(2001), 42]) {
      await expect(addPostComment(world.ctx, bob, post.id, { content })).rejects.toMatchObject({
        status: 400,
        details: { fields: { content: [expect.any(String)] } },
      });
    }
    await expectStatus(addPostComment(world.ctx, outsider, post.id, { content: 'hi' }), 403);
    await expectStatus(addPostComment(world.ctx, bob, UNKNOWN, { content: 'hi' }), 404);
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(0);
    expect((await addPostComment(world.ctx, bob, post.id, { content: 'x'.repeat(2000) })).content).toHaveLength(2000);
  });
});

describe('replies, one level deep', () => {
  it('a reply sits under its comment, counts on the post, and tells the comment’s author', async () => {
    const { alice, bob, teacher, post } = await discussion();
    const comment = await addPostComment(world.ctx, bob, post.id, { content: 'Question?' });
    const reply = await addPostComment(world.ctx, teacher, post.id, { content: 'Answer.', parentId: comment.id });
    expect(reply.parentId).toBe(comment.id);
    const { comments } = await listPostComments(world.ctx, alice, post.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ id: comment.id, replyCount: 1, canDelete: false });
    expect(comments[0].replies.map((r) => [r.id, r.content, r.author])).toEqual([
      [reply.id, 'Answer.', `${teacher.firstName} ${teacher.lastName}`],
    ]);
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(2);
    expect((await notificationsOf(bob)).map((n) => [n.type, n.senderId, n.title])).toEqual([
      ['comment', teacher.id, 'New reply'],
    ]);
  });

  it('a reply to a reply, or to another post’s comment, is 400', async () => {
    const { alice, bob, course, post } = await discussion();
    const other = await createPost(world.ctx, bob, { courseId: course.id, title: 'Other', content: 'x' });
    const foreign = await addPostComment(world.ctx, alice, other.id, { content: 'elsewhere' });
    const comment = await addPostComment(world.ctx, bob, post.id, { content: 'top' });
    const reply = await addPostComment(world.ctx, alice, post.id, { content: 'r', parentId: comment.id });
    for (const parentId of [reply.id, foreign.id, UNKNOWN]) {
      await expect(addPostComment(world.ctx, bob, post.id, { content: 'no', parentId })).rejects.toMatchObject({
        status: 400,
        details: { fields: { parentId: [expect.any(String)] } },
      });
    }
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(2);
  });

  it('comments page newest first with a cursor', async () => {
    const { alice, bob, post } = await discussion();
    for (const content of ['a', 'b', 'c']) await addPostComment(world.ctx, bob, post.id, { content });
    const first = await listPostComments(world.ctx, alice, post.id, { limit: 2 });
    expect(first.comments.map((c) => c.content)).toEqual(['c', 'b']);
    const rest = await listPostComments(world.ctx, alice, post.id, { limit: 2, cursor: first.nextCursor });
    expect(rest.comments.map((c) => c.content)).toEqual(['a']);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('deleting comments', () => {
  it('its author or a moderator deletes; the post author and classmates may not', async () => {
    const { alice, bob, teacher, admin, post } = await discussion();
    const bobs = await addPostComment(world.ctx, bob, post.id, { content: 'one' });
    const two = await addPostComment(world.ctx, bob, post.id, { content: 'two' });
    const three = await addPostComment(world.ctx, bob, post.id, { content: 'three' });
    await expectStatus(deletePostComment(world.ctx, alice, post.id, bobs.id), 403);
    await deletePostComment(world.ctx, bob, post.id, bobs.id);
    await deletePostComment(world.ctx, teacher, post.id, two.id);
    await deletePostComment(world.ctx, admin, post.id, three.id);
    await expectStatus(deletePostComment(world.ctx, bob, post.id, bobs.id), 404);
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(0);
  });

  it('deleting a comment takes its replies and their count with it', async () => {
    const { alice, bob, teacher, post } = await discussion();
    const top = await addPostComment(world.ctx, bob, post.id, { content: 'top' });
    await addPostComment(world.ctx, alice, post.id, { content: 'r1', parentId: top.id });
    await addPostComment(world.ctx, teacher, post.id, { content: 'r2', parentId: top.id });
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(3);
    await deletePostComment(world.ctx, bob, post.id, top.id);
    expect((await getPost(world.ctx, alice, post.id)).comments).toBe(0);
    expect((await listPostComments(world.ctx, alice, post.id)).comments).toEqual([]);
  });

  it('a comment is found only under its own post', async () => {
    const { bob, course, post } = await discussion();
    const other = await createPost(world.ctx, bob, { courseId: course.id, title: 'Other', content: 'x' });
    const comment = await addPostComment(world.ctx, bob, other.id, { content: 'here' });
    await expectStatus(deletePostComment(world.ctx, bob, post.id, comment.id), 404);
    await expectStatus(deletePostComment(world.ctx, bob, post.id, UNKNOWN), 404);
  });
});

describe('the community pages', () => {
  it('/community defaults to the caller’s first course and offers the others', async () => {
    const { alice, teacher, course, post } = await discussion();
    const newer = await aCourse(teacher, [alice]);
    const page = await getCommunityPage(world.ctx, alice, null);
    expect(page.courses.map((c) => c.id)).toEqual([newer.id, course.id]);
    expect(page.course?.id).toBe(newer.id);
    expect(page.posts).toEqual([]);
    const chosen = await getCommunityPage(world.ctx, alice, course.id);
    expect(chosen.posts.map((p) => p.id)).toEqual([post.id]);
    expect(chosen.mayAnnounce).toBe(false);
    expect((await getCommunityPage(world.ctx, teacher, course.id)).mayAnnounce).toBe(true);
  });

  it('someone without courses sees none; a course they are not in is 403', async () => {
    const { outsider, course } = await discussion();
    expect(await getCommunityPage(world.ctx, outsider, null)).toMatchObject({ courses: [], course: null, posts: [] });
    await expectStatus(getCommunityPage(world.ctx, outsider, course.id), 403);
  });

  it('the post page says what the viewer may do', async () => {
    const { alice, bob, teacher, outsider, post } = await discussion();
    expect((await getPostPage(world.ctx, alice, post.id)).may).toEqual({ edit: true, delete: true, announce: false });
    expect((await getPostPage(world.ctx, bob, post.id)).may).toEqual({ edit: false, delete: false, announce: false });
    expect((await getPostPage(world.ctx, teacher, post.id)).may).toEqual({ edit: false, delete: true, announce: true });
    await expectStatus(getPostPage(world.ctx, outsider, post.id), 403);
  });

  it('the edit form is for the author and moderators only', async () => {
    const { alice, bob, teacher, post } = await discussion();
    expect((await getPostForEdit(world.ctx, alice, post.id)).may).toEqual({ edit: true, announce: false });
    expect((await getPostForEdit(world.ctx, teacher, post.id)).may).toEqual({ edit: false, announce: true });
    await expectStatus(getPostForEdit(world.ctx, bob, post.id), 403);
  });
});
