/**
 * Contract, community posts: CRUD, the course list, and likes/comments on posts with exact
 * counters; deleting a post takes its interactions with it.
 */
import { describe, expect, it } from 'vitest';
import { DataNotFoundError, InvalidCursorError } from '../errors';
import { likeId, type Repositories } from '../repository';
import { notificationFor, postInput, postTarget } from './builders';
import { aCommunity, drain, newestFirst } from './community-world';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FB8';

export function describeCommunityPostsContract(getRepos: () => Repositories) {
  const repos = () => getRepos();

  async function aPostWorld() {
    const world = await aCommunity(repos());
    const [alice, bob] = world.students as [(typeof world.students)[0], (typeof world.students)[0]];
    const post = await repos().posts.create(postInput(world.course.id, alice.id));
    return { ...world, alice, bob, post, target: postTarget(post) };
  }

  describe('community posts', () => {
    it('creates, reads, updates (never the counters) and deletes a post', async () => {
      const { alice, bob, course, post, target } = await aPostWorld();
      expect(post).toMatchObject({
        courseId: course.id,
        authorId: alice.id,
        title: 'Study group tonight?',
        body: 'Library, 7pm.',
        isAnnouncement: false,
        likeCount: 0,
        commentCount: 0,
      });
      expect(post.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(await repos().posts.getById(post.id)).toEqual(post);
      await repos().interactions.setLike({ target, userId: bob.id, liked: true, notification: null });
      const updated = await repos().posts.update(post.id, { title: 'Moved to 8pm', isAnnouncement: true });
      expect(updated).toMatchObject({
        id: post.id,
        title: 'Moved to 8pm',
        body: 'Library, 7pm.',
        isAnnouncement: true,
        likeCount: 1,
      });
      expect(updated.updatedAt >= post.updatedAt).toBe(true);
      expect((await repos().posts.getMany([post.id, MISSING_ID])).map((p) => p.id)).toEqual([post.id]);
      expect(await repos().posts.getMany([])).toEqual([]);

      await repos().posts.delete(post.id);
      expect(await repos().posts.getById(post.id)).toBeNull();
      await expect(repos().posts.delete(post.id)).rejects.toBeInstanceOf(DataNotFoundError);
      await expect(repos().posts.update(post.id, { title: 'x' })).rejects.toBeInstanceOf(DataNotFoundError);
      expect(await repos().posts.getById(MISSING_ID)).toBeNull();
    });

    it('refuses a post in a course that does not exist', async () => {
      const { alice } = await aPostWorld();
      await expect(repos().posts.create(postInput(MISSING_ID, alice.id))).rejects.toBeInstanceOf(DataNotFoundError);
    });

    it('keeps likeCount and commentCount exact on posts, with notifications for the author', async () => {
      const { alice, bob, teacher, post, target } = await aPostWorld();
      const comment = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: "I'm in" },
        notificationFor(alice, bob, 'comment', post.id),
      );
      expect(comment).toMatchObject({
        targetType: 'post',
        targetId: post.id,
        postId: post.id,
        videoId: null,
        targetOwnerId: alice.id,
      });
      await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'Great', parentId: comment.id },
        notificationFor(bob, alice, 'comment', post.id),
      );
      for (const u of [bob, teacher]) {
        await repos().interactions.setLike({
          target,
          userId: u.id,
          liked: true,
          notification: notificationFor(alice, u, 'like'),
        });
      }
      expect(await repos().posts.getById(post.id)).toMatchObject({ likeCount: 2, commentCount: 2 });
      const liked = await repos().interactions.likedBy(bob.id, [{ type: 'post', id: post.id }]);
      expect([...liked]).toEqual([post.id]);
      expect((await repos().interactions.listComments(target)).items.map((c) => c.id)).toEqual([comment.id]);
      const inbox = (await repos().notifications.listByRecipient(alice.id)).items.map((n) => n.type).sort();
      expect(inbox).toEqual(['comment', 'like', 'like']);
      // The author's feed source shows Bob's comment and both likes, not her own reply.
      const owned = await repos().interactions.listOnOwnedTargets(alice.id, null, 10);
      expect(owned.map((i) => i.userId).sort()).toEqual([bob.id, bob.id, teacher.id].sort());
    });

    it('deleting a post deletes its likes, comments and replies', async () => {
      const { alice, bob, post, target } = await aPostWorld();
      const comment = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'c' },
        null,
      );
      const reply = await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'r', parentId: comment.id },
        null,
      );
      await repos().interactions.setLike({ target, userId: bob.id, liked: true, notification: null });
      await repos().posts.delete(post.id);
      for (const id of [comment.id, reply.id, likeId(target, bob.id)]) {
        expect(await repos().interactions.getById(id)).toBeNull();
      }
      expect(await repos().interactions.listOnOwnedTargets(alice.id, null, 10)).toEqual([]);
      await expect(
        repos().interactions.addComment({ target, userId: bob.id, type: 'comment', content: 'late' }, null),
      ).rejects.toBeInstanceOf(DataNotFoundError);
      await expect(
        repos().interactions.setLike({ target, userId: bob.id, liked: true, notification: null }),
      ).rejects.toBeInstanceOf(DataNotFoundError);
    });

    it("lists a course's posts newest first, every one once across pages, cursors bound to the course", async () => {
      const { bob, course, post, teacher } = await aPostWorld();
      const other = await aCommunity(repos(), 1);
      await repos().posts.create(postInput(other.course.id, other.students[0]!.id));
      const made = [post];
      for (let i = 0; i < 4; i++) {
        made.push(await repos().posts.create(postInput(course.id, i % 2 ? bob.id : teacher.id, { title: `p${i}` })));
      }
      const seen = await drain((cursor) => repos().posts.listByCourse(course.id, { limit: 2, cursor }));
      expect(seen.map((p) => p.id)).toEqual(
        newestFirst(
          made,
          (p) => p.createdAt,
          (p) => p.id,
        ).map((p) => p.id),
      );
      const first = await repos().posts.listByCourse(course.id, { limit: 2 });
      await expect(
        repos().posts.listByCourse(other.course.id, { limit: 2, cursor: first.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(repos().posts.listByCourse(course.id, { cursor: '%%%' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
