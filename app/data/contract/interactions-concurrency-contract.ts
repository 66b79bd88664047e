/**
 * Contract, community concurrency: counters are exact when many people act at the same
 * moment (100 likers → 100), one person's repeated clicks never count twice, and parallel
 * comments all count. Runs on every adapter against its real database.
 */
import { describe, expect, it } from 'vitest';
import { likeId, type Repositories } from '../repository';
import { notificationFor, videoTarget } from './builders';
import { aCommunity, aVideo, drain } from './community-world';

export function describeInteractionsConcurrencyContract(getRepos: () => Repositories) {
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

  describe('concurrency', () => {
    it('100 users liking at the same moment make exactly 100 likes', async () => {
      const { alice, target, video } = await aliceVideo();
      const likers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          repos().users.create({
            email: `liker${i}-${video.id.toLowerCase()}@example.test`,
            firstName: `Liker${i}`,
            lastName: 'Crowd',
            role: 'student',
            passwordHash: null,
          }),
        ),
      );
      const results = await Promise.all(
        likers.map((u) =>
          repos().interactions.setLike({
            target,
            userId: u.id,
            liked: true,
            notification: notificationFor(alice, u, 'like'),
          }),
        ),
      );
      expect(results.every((r) => r.liked && r.changed)).toBe(true);
      // Each call reports the count as read after its own write: Postgres returns it from the
      // same statement (all distinct), DynamoDB transactions return no values, so the count is
      // read back and may already include concurrent likes. The last writer always sees 100.
      const counts = results.map((r) => r.likeCount);
      expect(counts.every((c) => c >= 1 && c <= 100)).toBe(true);
      expect(Math.max(...counts)).toBe(100);
      expect(await likeCount(video.id)).toBe(100);
      const rows = await drain((cursor) => repos().interactions.listByVideo(video.id, { limit: 100, cursor }));
      expect(rows.filter((r) => r.type === 'like')).toHaveLength(100);
      expect((await inbox(alice.id)).filter((n) => n.type === 'like')).toHaveLength(100);
    }, 120_000);

    it("one user's ten parallel likes count once", async () => {
      const { alice, bob, target, video } = await aliceVideo();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          repos().interactions.setLike({
            target,
            userId: bob.id,
            liked: true,
            notification: notificationFor(alice, bob, 'like'),
          }),
        ),
      );
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(results.every((r) => r.liked)).toBe(true);
      expect(await likeCount(video.id)).toBe(1);
      expect((await inbox(alice.id)).filter((n) => n.type === 'like')).toHaveLength(1);
    }, 60_000);

    it('parallel toggles by one user each flip once, and the count always matches the row', async () => {
      const { bob, target, video } = await aliceVideo();
      const results = await Promise.all(
        Array.from({ length: 7 }, () => repos().interactions.setLike({ target, userId: bob.id, notification: null })),
      );
      const liked = (await repos().interactions.getById(likeId(target, bob.id))) !== null;
      expect(await likeCount(video.id)).toBe(liked ? 1 : 0);
      // Every toggle that changed something flipped the state once: the parity tells the end state.
      expect(results.filter((r) => r.changed).length % 2 === 1).toBe(liked);
    }, 60_000);

    it('50 parallel comments raise commentCount by exactly 50', async () => {
      const { bob, target, video } = await aliceVideo();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          repos().interactions.addComment({ target, userId: bob.id, type: 'comment', content: `c${i}` }, null),
        ),
      );
      expect(await commentCount(video.id)).toBe(50);
      const listed = await drain((cursor) => repos().interactions.listComments(target, { limit: 100, cursor }));
      expect(listed).toHaveLength(50);
    }, 60_000);
  });
}
