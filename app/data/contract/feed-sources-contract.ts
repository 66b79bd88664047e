/**
 * Contract, feed sources: each source returns one window — items of the given courses that
 * the viewer may see, newest first, strictly before the position, at most `limit` — which
 * the feed service merges. Visibility: class-visible videos plus the viewer's own; published
 * or closed assignments only.
 */
import { describe, expect, it } from 'vitest';
import type { Assignment, FeedPosition, Repositories } from '../repository';
import { assignmentInput, postInput } from './builders';
import { aCommunity, aVideo, newestFirst } from './community-world';

const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE);
const at = (item: { id: string; createdAt: string }): FeedPosition => ({ at: item.createdAt, id: item.id });

export function describeFeedSourcesContract(getRepos: () => Repositories) {
  const repos = () => getRepos();

  describe('feed sources', () => {
    it("videos: class-visible ones of the courses plus the viewer's own, newest first", async () => {
      const a = await aCommunity(repos());
      const b = await aCommunity(repos(), 1);
      const elsewhere = await aCommunity(repos(), 1);
      const [alice, bob] = a.students as [(typeof a.students)[0], (typeof a.students)[0]];
      const carol = b.students[0]!;
      const aliceClass = await aVideo(repos(), a, alice, { at: ago(50), visibility: 'class' });
      const bobPrivate = await aVideo(repos(), a, bob, { at: ago(40), visibility: 'private' });
      const alicePrivate = await aVideo(repos(), a, alice, { at: ago(30), visibility: 'private' });
      const bobClass = await aVideo(repos(), a, bob, { at: ago(20), visibility: 'class' });
      const carolClass = await aVideo(repos(), b, carol, { at: ago(10), visibility: 'class' });
      await aVideo(repos(), elsewhere, elsewhere.students[0]!, { at: ago(5), visibility: 'class' });
      const courseIds = [a.course.id, b.course.id];

      const forAlice = await repos().videos.listForFeed({ courseIds, before: null, limit: 10 }, alice.id);
      expect(forAlice.map((v) => v.id)).toEqual([carolClass, bobClass, alicePrivate, aliceClass].map((v) => v.id));
      const forBob = await repos().videos.listForFeed({ courseIds, before: null, limit: 10 }, bob.id);
      expect(forBob.map((v) => v.id)).toEqual([carolClass, bobClass, bobPrivate, aliceClass].map((v) => v.id));

      const top = await repos().videos.listForFeed({ courseIds, before: null, limit: 2 }, alice.id);
      expect(top.map((v) => v.id)).toEqual([carolClass.id, bobClass.id]);
      const older = await repos().videos.listForFeed({ courseIds, before: at(bobClass), limit: 10 }, alice.id);
      expect(older.map((v) => v.id)).toEqual([alicePrivate.id, aliceClass.id]);
      expect(await repos().videos.listForFeed({ courseIds: [], before: null, limit: 10 }, alice.id)).toEqual([]);
    });

    it('the before window is strict on (time, id): ties at one moment split by id', async () => {
      const a = await aCommunity(repos());
      const moment = ago(15);
      const twins = [
        await aVideo(repos(), a, a.students[0]!, { at: moment }),
        await aVideo(repos(), a, a.students[1]!, { at: moment }),
        await aVideo(repos(), a, a.students[0]!, { at: moment }),
      ];
      const ordered = newestFirst(
        twins,
        (v) => v.createdAt,
        (v) => v.id,
      );
      const window = { courseIds: [a.course.id], before: at(ordered[0]!), limit: 10 };
      const rest = await repos().videos.listForFeed(window, a.students[0]!.id);
      expect(rest.map((v) => v.id)).toEqual(ordered.slice(1).map((v) => v.id));
    });

    it('posts: the given courses only, newest first, before and limit honoured', async () => {
      const a = await aCommunity(repos(), 1);
      const b = await aCommunity(repos(), 1);
      const elsewhere = await aCommunity(repos(), 1);
      const made = [];
      for (let i = 0; i < 5; i++) {
        const world = i % 2 ? b : a;
        made.push(await repos().posts.create(postInput(world.course.id, world.students[0]!.id, { title: `p${i}` })));
      }
      await repos().posts.create(postInput(elsewhere.course.id, elsewhere.teacher.id));
      const expected = newestFirst(
        made,
        (p) => p.createdAt,
        (p) => p.id,
      );
      const courseIds = [a.course.id, b.course.id];
      const all = await repos().posts.listForFeed({ courseIds, before: null, limit: 10 });
      expect(all.map((p) => p.id)).toEqual(expected.map((p) => p.id));
      const window = await repos().posts.listForFeed({ courseIds, before: at(expected[1]!), limit: 2 });
      expect(window.map((p) => p.id)).toEqual(expected.slice(2, 4).map((p) => p.id));
      expect(await repos().posts.listForFeed({ courseIds: [], before: null, limit: 10 })).toEqual([]);
    });

    it('publishedAt is stamped when an assignment first leaves draft and never cleared', async () => {
      const { course, teacher } = await aCommunity(repos(), 0);
      const draft = await repos().assignments.create(assignmentInput(course.id, teacher.id, { status: 'draft' }));
      expect(draft.publishedAt).toBeNull();
      const live = await repos().assignments.create(assignmentInput(course.id, teacher.id));
      expect(live.publishedAt).toBe(live.createdAt);

      const published = await repos().assignments.update(draft.id, { status: 'published' });
      expect(published.publishedAt).toBe(published.updatedAt);
      const closed = await repos().assignments.update(draft.id, { status: 'closed' });
      expect(closed.publishedAt).toBe(published.publishedAt);
      const backToDraft = await repos().assignments.update(draft.id, { status: 'draft' });
      expect(backToDraft.publishedAt).toBe(published.publishedAt);
      const retitled = await repos().assignments.update(live.id, { title: 'Renamed' });
      expect(retitled.publishedAt).toBe(live.publishedAt);
    });

    it('assignments: published and closed ones of the courses by publishedAt, never drafts or archived', async () => {
      const a = await aCommunity(repos(), 0);
      const b = await aCommunity(repos(), 0);
      const elsewhere = await aCommunity(repos(), 0);
      const make = (world: typeof a, status: Assignment['status']) =>
        repos().assignments.create(assignmentInput(world.course.id, world.teacher.id, { status, title: status }));
      await make(a, 'draft');
      const closed = await make(b, 'closed');
      const archived = await make(a, 'archived');
      const late = await make(a, 'draft');
      const nowLive = await repos().assignments.update(late.id, { status: 'published' });
      await make(elsewhere, 'published');
      const expected = newestFirst(
        [a.assignment, b.assignment, closed, nowLive],
        (x) => x.publishedAt!,
        (x) => x.id,
      );
      const courseIds = [a.course.id, b.course.id];
      const feed = await repos().assignments.listPublishedForFeed({ courseIds, before: null, limit: 10 });
      expect(feed.map((x) => x.id)).toEqual(expected.map((x) => x.id));
      expect(feed.map((x) => x.id)).not.toContain(archived.id);
      const pivot = expected[1]!;
      const older = await repos().assignments.listPublishedForFeed({
        courseIds,
        before: { at: pivot.publishedAt!, id: pivot.id },
        limit: 1,
      });
      expect(older.map((x) => x.id)).toEqual([expected[2]!.id]);
      expect(await repos().assignments.listPublishedForFeed({ courseIds: [], before: null, limit: 5 })).toEqual([]);
    });
  });
}
