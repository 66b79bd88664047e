import { describe, expect, it } from 'vitest';
import type { User } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { getCommunityPage, getPostForDelete, getPostForEdit, getPostPage } from './community-page.server';
import { createPost } from './posts.server';

const world = setupServiceContext();
const { aClass } = builders(world);

const aPost = (author: User, courseId: string) =>
  createPost(world.ctx, author, { courseId, title: 'Study group?', content: 'Who is in?' });

describe('the community page', () => {
  it("shows the caller's courses and the first course's posts when none is named", async () => {
    const { alice, course } = await aClass();
    const post = await aPost(alice, course.id);
    const page = await getCommunityPage(world.ctx, alice, null);
    expect(page.courses).toEqual([{ id: course.id, title: course.title, code: course.code }]);
    expect(page.course?.id).toBe(course.id);
    expect(page.posts.map((p) => p.id)).toEqual([post.id]);
    expect(page.mayAnnounce).toBe(false);
  });

  it('a member without courses sees an empty page; the instructor may announce', async () => {
    const { outsider, teacher, course } = await aClass();
    expect(await getCommunityPage(world.ctx, outsider, null)).toMatchObject({ courses: [], course: null, posts: [] });
    expect((await getCommunityPage(world.ctx, teacher, course.id)).mayAnnounce).toBe(true);
  });

  it('a course the caller is not in is 403, and signed out is 401', async () => {
    const { outsider, course } = await aClass();
    await expectStatus(getCommunityPage(world.ctx, outsider, course.id), 403);
    await expectStatus(getCommunityPage(world.ctx, null, course.id), 401);
  });
});

describe('a post page and its edit and delete forms', () => {
  it('a classmate reads it but may neither edit nor delete; the author may both', async () => {
    const { alice, bob, course } = await aClass();
    const post = await aPost(alice, course.id);
    const seen = await getPostPage(world.ctx, bob, post.id);
    expect(seen.post.id).toBe(post.id);
    expect(seen.course.id).toBe(course.id);
    expect(seen.may).toEqual({ edit: false, delete: false, announce: false });
    expect((await getPostPage(world.ctx, alice, post.id)).may).toMatchObject({ edit: true, delete: true });
    await expectStatus(getPostForEdit(world.ctx, bob, post.id), 403);
    await expectStatus(getPostForDelete(world.ctx, bob, post.id), 403);
    expect((await getPostForEdit(world.ctx, alice, post.id)).post.id).toBe(post.id);
    expect((await getPostForDelete(world.ctx, alice, post.id)).post.id).toBe(post.id);
  });

  it('the instructor may moderate; someone outside the course gets 403', async () => {
    const { alice, teacher, outsider, course } = await aClass();
    const post = await aPost(alice, course.id);
    expect((await getPostForDelete(world.ctx, teacher, post.id)).post.id).toBe(post.id);
    expect((await getPostForEdit(world.ctx, teacher, post.id)).may.announce).toBe(true);
    await expectStatus(getPostPage(world.ctx, outsider, post.id), 403);
  });
});
