/**
 * Contract, community: comments, one-level replies, responses and likes on videos (posts in
 * community-posts-contract.ts). Counters must be exact and change with the row; a missing
 * target or parent writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { DataNotFoundError, InvalidCursorError } from '../errors';
import { likeId, type Repositories } from '../repository';
import { notificationFor, videoTarget } from './builders';
import { aCommunity, aVideo, drain, newestFirst } from './community-world';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FB9';

export function describeInteractionsContract(getRepos: () => Repositories) {
  const repos = () => getRepos();

  async function aliceVideo() {
    const world = await aCommunity(repos());
    const [alice, bob] = world.students as [(typeof world.students)[0], (typeof world.students)[0]];
    const video = await aVideo(repos(), world, alice);
    return { ...world, alice, bob, video, target: videoTarget(video) };
  }

  const commentCount = async (videoId: string) => (await repos().videos.getById(videoId))?.commentCount;
  const likeCount = async (videoId: string) => (await repos().videos.getById(videoId))?.likeCount;
  const inbox = async (userId: string) => (await repos().notifications.listByRecipient(userId, { limit: 100 })).items;

  describe('comments and replies', () => {
    it('adds a time-coded comment: the row, +1 commentCount and the owner notification together', async () => {
      const { alice, bob, video, target, course } = await aliceVideo();
      const comment = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'Nice framing at 0:12', atSeconds: 12.5 },
        notificationFor(alice, bob, 'comment', video.id),
      );
      expect(comment).toMatchObject({
        targetType: 'video',
        targetId: video.id,
        videoId: video.id,
        postId: null,
        courseId: course.id,
        targetOwnerId: alice.id,
        userId: bob.id,
        type: 'comment',
        content: 'Nice framing at 0:12',
        atSeconds: 12.5,
        parentId: null,
        responseVideoId: null,
        isFeedback: false,
        replyCount: 0,
      });
      expect(await repos().interactions.getById(comment.id)).toEqual(comment);
      expect(await commentCount(video.id)).toBe(1);
      expect((await inbox(alice.id)).map((n) => [n.type, n.senderId, n.relatedId])).toEqual([
        ['comment', bob.id, video.id],
      ]);
      expect(await repos().interactions.getById(MISSING_ID)).toBeNull();
    });

    it('stores responses and instructor feedback flags as given', async () => {
      const w = await aliceVideo();
      const { alice, bob, teacher, target, video } = w;
      const answer = await aVideo(repos(), w, bob);
      const response = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'response', content: 'My answer', responseVideoId: answer.id },
        null,
      );
      expect(response).toMatchObject({ type: 'response', responseVideoId: answer.id, atSeconds: null });
      const feedback = await repos().interactions.addComment(
        { target, userId: teacher.id, type: 'comment', content: 'Slow down here', atSeconds: 0, isFeedback: true },
        notificationFor(alice, teacher, 'comment'),
      );
      expect(feedback).toMatchObject({ isFeedback: true, atSeconds: 0 });
      expect(await commentCount(video.id)).toBe(2);
    });

    it('lists top-level comments and responses newest first: no likes, no replies, no submitted marker', async () => {
      const { alice, bob, target, video } = await aliceVideo();
      const first = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'one' },
        null,
      );
      const second = await repos().interactions.addComment(
        { target, userId: alice.id, type: 'response', content: 'two' },
        null,
      );
      await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'reply', parentId: first.id },
        null,
      );
      await repos().interactions.setLike({ target, userId: bob.id, liked: true, notification: null });
      const listed = await repos().interactions.listComments({ type: 'video', id: video.id });
      expect(listed.items.map((c) => c.id)).toEqual(
        newestFirst(
          [first, second],
          (c) => c.createdAt,
          (c) => c.id,
        ).map((c) => c.id),
      );
      expect(listed.nextCursor).toBeNull();
      // listByVideo still shows everything recorded, the marker included.
      const everything = (await repos().interactions.listByVideo(video.id, { limit: 100 })).items;
      expect(everything.map((i) => i.type).sort()).toEqual(['comment', 'comment', 'like', 'response', 'submitted']);
    });

    it('pages through comments once each, in order, with cursors bound to their target', async () => {
      const w = await aliceVideo();
      const { bob, target, video, alice } = w;
      const other = await aVideo(repos(), w, alice);
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          await repos().interactions.addComment({ target, userId: bob.id, type: 'comment', content: `c${i}` }, null),
        );
      }
      const seen = await drain((cursor) =>
        repos().interactions.listComments({ type: 'video', id: video.id }, { limit: 2, cursor }),
      );
      expect(seen.map((c) => c.id)).toEqual(
        newestFirst(
          made,
          (c) => c.createdAt,
          (c) => c.id,
        ).map((c) => c.id),
      );
      const page = await repos().interactions.listComments({ type: 'video', id: video.id }, { limit: 2 });
      await expect(
        repos().interactions.listComments({ type: 'video', id: other.id }, { limit: 2, cursor: page.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(
        repos().interactions.listComments({ type: 'video', id: video.id }, { cursor: 'not-a-cursor' }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('replies one level deep: parent replyCount and target commentCount both move', async () => {
      const { alice, bob, target, video } = await aliceVideo();
      const question = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'Why?' },
        null,
      );
      const quiet = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'ok' },
        null,
      );
      const replies = [];
      for (const content of ['Because', 'Also this', 'And that']) {
        replies.push(
          await repos().interactions.addComment(
            { target, userId: alice.id, type: 'comment', content, parentId: question.id },
            notificationFor(bob, alice, 'comment'),
          ),
        );
      }
      expect(replies[0]).toMatchObject({ parentId: question.id, replyCount: 0 });
      const parent = await repos().interactions.getById(question.id);
      expect(parent?.replyCount).toBe(3);
      expect(await commentCount(video.id)).toBe(5);
      const listed = await repos().interactions.listReplies([parent!, { id: quiet.id, replyCount: 0 }], 2);
      // Oldest first, at most perParent per parent.
      expect(listed.map((r) => r.content)).toEqual(['Because', 'Also this']);
      expect(await repos().interactions.listReplies([], 5)).toEqual([]);
      const all = await repos().interactions.listReplies([parent!], 50);
      expect(all.map((r) => r.id)).toEqual(replies.map((r) => r.id));
    });

    it('lists replies of several parents in one call, each thread oldest first', async () => {
      const { alice, bob, target } = await aliceVideo();
      const p1 = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'p1' },
        null,
      );
      const p2 = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'p2' },
        null,
      );
      const add = (parentId: string, content: string) =>
        repos().interactions.addComment({ target, userId: alice.id, type: 'comment', content, parentId }, null);
      await add(p1.id, 'p1-a');
      await add(p2.id, 'p2-a');
      await add(p1.id, 'p1-b');
      const parents = await Promise.all([p1.id, p2.id].map((id) => repos().interactions.getById(id)));
      const replies = await repos().interactions.listReplies(
        parents.map((p) => p!),
        10,
      );
      const byParent = (id: string) => replies.filter((r) => r.parentId === id).map((r) => r.content);
      expect(byParent(p1.id)).toEqual(['p1-a', 'p1-b']);
      expect(byParent(p2.id)).toEqual(['p2-a']);
      expect(replies).toHaveLength(3);
    });

    it('deleting a comment removes its replies and lowers commentCount by all of them', async () => {
      const { alice, bob, target, video } = await aliceVideo();
      const thread = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 't' },
        null,
      );
      const keep = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'k' },
        null,
      );
      const r1 = await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'r1', parentId: thread.id },
        null,
      );
      await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'r2', parentId: thread.id },
        null,
      );
      const keptReply = await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'kr', parentId: keep.id },
        null,
      );
      expect(await commentCount(video.id)).toBe(5);

      await repos().interactions.deleteComment(r1.id); // a reply: -1, and its parent's replyCount -1
      expect(await commentCount(video.id)).toBe(4);
      expect((await repos().interactions.getById(thread.id))?.replyCount).toBe(1);

      await repos().interactions.deleteComment(thread.id); // itself + its remaining reply
      expect(await commentCount(video.id)).toBe(2);
      expect(await repos().interactions.getById(thread.id)).toBeNull();
      expect(await repos().interactions.getById(r1.id)).toBeNull();
      expect((await repos().interactions.getById(keptReply.id))?.parentId).toBe(keep.id);
      expect((await repos().interactions.listComments(target)).items.map((c) => c.id)).toEqual([keep.id]);

      await expect(repos().interactions.deleteComment(thread.id)).rejects.toBeInstanceOf(DataNotFoundError);
      await expect(repos().interactions.deleteComment(MISSING_ID)).rejects.toBeInstanceOf(DataNotFoundError);
    });

    it('deleteComment refuses likes and the submitted marker (they are not comments)', async () => {
      const { bob, target, video } = await aliceVideo();
      await repos().interactions.setLike({ target, userId: bob.id, liked: true, notification: null });
      await expect(repos().interactions.deleteComment(likeId(target, bob.id))).rejects.toBeInstanceOf(
        DataNotFoundError,
      );
      const marker = (await repos().interactions.listByVideo(video.id)).items.find((i) => i.type === 'submitted');
      expect(marker).toBeDefined();
      await expect(repos().interactions.deleteComment(marker!.id)).rejects.toBeInstanceOf(DataNotFoundError);
      expect(await likeCount(video.id)).toBe(1);
      expect((await repos().interactions.listByVideo(video.id)).items).toHaveLength(2);
    });

    it('a missing target or parent is DataNotFoundError and writes nothing (no notification either)', async () => {
      const { alice, bob, target, video } = await aliceVideo();
      const gone = { ...target, id: MISSING_ID };
      await expect(
        repos().interactions.addComment(
          { target: gone, userId: bob.id, type: 'comment', content: 'x' },
          notificationFor(alice, bob, 'comment'),
        ),
      ).rejects.toBeInstanceOf(DataNotFoundError);
      await expect(
        repos().interactions.addComment(
          { target, userId: bob.id, type: 'comment', content: 'x', parentId: MISSING_ID },
          notificationFor(alice, bob, 'comment'),
        ),
      ).rejects.toBeInstanceOf(DataNotFoundError);
      expect(await commentCount(video.id)).toBe(0);
      expect(await inbox(alice.id)).toEqual([]);
      expect((await repos().interactions.listComments(target)).items).toEqual([]);
    });
  });

  describe('likes', () => {
    it('like, like again, unlike, toggle: the count and the state stay exact', async () => {
      const { alice, bob, target, video } = await aliceVideo();
      const like = (liked?: boolean) =>
        repos().interactions.setLike({
          target,
          userId: bob.id,
          liked,
          notification: notificationFor(alice, bob, 'like', video.id),
        });
      expect(await like(true)).toEqual({ liked: true, likeCount: 1, changed: true });
      expect(await like(true)).toEqual({ liked: true, likeCount: 1, changed: false });
      expect(await likeCount(video.id)).toBe(1);
      expect(await like(false)).toEqual({ liked: false, likeCount: 0, changed: true });
      expect(await like(false)).toEqual({ liked: false, likeCount: 0, changed: false });
      expect(await like()).toEqual({ liked: true, likeCount: 1, changed: true });
      expect(await like()).toEqual({ liked: false, likeCount: 0, changed: true });
      expect(await like()).toEqual({ liked: true, likeCount: 1, changed: true });
      // A notification each time the call made it liked (three times), never otherwise.
      expect((await inbox(alice.id)).filter((n) => n.type === 'like')).toHaveLength(3);
      const likeRow = await repos().interactions.getById(likeId(target, bob.id));
      expect(likeRow).toMatchObject({ type: 'like', userId: bob.id, targetId: video.id, targetOwnerId: alice.id });
    });

    it('likedBy answers for many targets in one call', async () => {
      const world = await aCommunity(repos());
      const [alice, bob] = world.students as [(typeof world.students)[0], (typeof world.students)[0]];
      const v1 = await aVideo(repos(), world, alice);
      const v2 = await aVideo(repos(), world, alice);
      const v3 = await aVideo(repos(), world, bob);
      await repos().interactions.setLike({ target: videoTarget(v1), userId: bob.id, liked: true, notification: null });
      await repos().interactions.setLike({ target: videoTarget(v3), userId: bob.id, liked: true, notification: null });
      await repos().interactions.setLike({
        target: videoTarget(v2),
        userId: alice.id,
        liked: true,
        notification: null,
      });
      const liked = await repos().interactions.likedBy(
        bob.id,
        [v1, v2, v3].map((v) => ({ type: 'video' as const, id: v.id })),
      );
      expect([...liked].sort()).toEqual([v1.id, v3.id].sort());
      expect((await repos().interactions.likedBy(bob.id, [])).size).toBe(0);
    });

    it('liking a missing target is DataNotFoundError and notifies nobody', async () => {
      const { alice, bob, target } = await aliceVideo();
      const gone = { ...target, id: MISSING_ID };
      for (const liked of [true, false, undefined]) {
        await expect(
          repos().interactions.setLike({
            target: gone,
            userId: bob.id,
            liked,
            notification: notificationFor(alice, bob, 'like'),
          }),
        ).rejects.toBeInstanceOf(DataNotFoundError);
      }
      expect(await inbox(alice.id)).toEqual([]);
    });
  });

  describe("the owner's feed source", () => {
    it("lists other people's likes, comments and replies on what the owner owns, newest first", async () => {
      const { alice, bob, teacher, target, video } = await aliceVideo();
      const own = await repos().interactions.addComment(
        { target, userId: alice.id, type: 'comment', content: 'mine' },
        null,
      );
      await repos().interactions.setLike({ target, userId: alice.id, liked: true, notification: null });
      const bobComment = await repos().interactions.addComment(
        { target, userId: bob.id, type: 'comment', content: 'hi' },
        null,
      );
      await repos().interactions.setLike({ target, userId: bob.id, liked: true, notification: null });
      const reply = await repos().interactions.addComment(
        { target, userId: teacher.id, type: 'comment', content: 're', parentId: own.id },
        null,
      );
      const expected = [bobComment.id, likeId(target, bob.id), reply.id];
      const feed = await repos().interactions.listOnOwnedTargets(alice.id, null, 10);
      expect(feed.map((i) => i.id).sort()).toEqual([...expected].sort());
      expect(feed.map((i) => i.id)).toEqual(
        newestFirst(
          feed,
          (i) => i.createdAt,
          (i) => i.id,
        ).map((i) => i.id),
      );
      expect(feed.every((i) => i.userId !== alice.id && i.type !== 'submitted' && i.targetId === video.id)).toBe(true);
      // Bob's own feed does not show what he did on Alice's video.
      expect(await repos().interactions.listOnOwnedTargets(bob.id, null, 10)).toEqual([]);
    });

    it('honours the before window (strictly older) and the limit', async () => {
      const { alice, bob, target } = await aliceVideo();
      for (let i = 0; i < 4; i++) {
        await repos().interactions.addComment({ target, userId: bob.id, type: 'comment', content: `c${i}` }, null);
      }
      const all = await repos().interactions.listOnOwnedTargets(alice.id, null, 10);
      expect(all).toHaveLength(4);
      const firstTwo = await repos().interactions.listOnOwnedTargets(alice.id, null, 2);
      expect(firstTwo.map((i) => i.id)).toEqual(all.slice(0, 2).map((i) => i.id));
      const pivot = all[1]!;
      const older = await repos().interactions.listOnOwnedTargets(alice.id, { at: pivot.createdAt, id: pivot.id }, 10);
      expect(older.map((i) => i.id)).toEqual(all.slice(2).map((i) => i.id));
    });
  });
}
