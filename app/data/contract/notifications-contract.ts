/**
 * Contract, notifications: the recipient's list and unread count, read marks that touch only
 * what they name, bulk writes in input order, the live-stream replay window, and collapsing
 * (one row per recipient and key, distinct actors counted exactly under concurrency).
 */
import { describe, expect, it } from 'vitest';
import { DataNotFoundError, InvalidCursorError } from '../errors';
import { collapsedNotificationId } from '../ids';
import type { NewNotification, Notification, Repositories, User } from '../repository';
import { notificationFor, videoTarget } from './builders';
import { aCommunity, aVideo, drain } from './community-world';
import { aUser } from './repository-contract';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC1';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function describeNotificationsContract(getRepos: () => Repositories) {
  const repos = () => getRepos();
  const person = (firstName = 'Nia') => repos().users.create(aUser({ firstName }));
  const people = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => person(`Actor${i}`)));
  const note = (to: User, from: User, overrides: Partial<NewNotification> = {}): NewNotification => ({
    ...notificationFor(to, from, 'announcement'),
    ...overrides,
  });
  /** One write per call, so each has its own createdAt/id position. */
  async function inSequence(to: User, from: User, n: number): Promise<Notification[]> {
    const out: Notification[] = [];
    for (let i = 0; i < n; i++) {
      const [written] = await repos().notifications.createMany([note(to, from, { title: `N${i}` })]);
      out.push(written!);
      await pause(2);
    }
    return out;
  }
  const liked = (to: User, from: User, key: string): NewNotification => ({
    ...notificationFor(to, from, 'like'),
    title: `${from.firstName} liked your video`,
    collapseKey: key,
  });

  describe('notifications', () => {
    it('lists a recipient’s notifications newest first across pages, only theirs', async () => {
      const [to, from, other] = (await people(3)) as [User, User, User];
      const written = await inSequence(to, from, 5);
      await repos().notifications.createMany([note(other, from)]);
      const pages: Notification[][] = [];
      const all = await drain(async (cursor) => {
        const page = await repos().notifications.listByRecipient(to.id, { limit: 2, cursor });
        pages.push(page.items);
        return page;
      });
      expect(all.map((n) => n.id)).toEqual(written.map((n) => n.id).reverse());
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(all).toEqual([...written].reverse());
      const firstPage = await repos().notifications.listByRecipient(to.id, { limit: 2 });
      await expect(
        repos().notifications.listByRecipient(other.id, { limit: 2, cursor: firstPage.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('gets one by id, null when absent; plain notifications count one actor', async () => {
      const [to, from] = (await people(2)) as [User, User];
      const [written] = await repos().notifications.createMany([note(to, from, { relatedId: 'x1', actionUrl: '/x' })]);
      expect(written).toMatchObject({
        recipientId: to.id,
        senderId: from.id,
        senderName: from.firstName,
        type: 'announcement',
        relatedId: 'x1',
        actionUrl: '/x',
        isRead: false,
        actorCount: 1,
      });
      expect(written!.id).toMatch(ULID);
      expect(new Date(written!.createdAt).toISOString()).toBe(written!.createdAt);
      expect(await repos().notifications.getById(written!.id)).toEqual(written);
      expect(await repos().notifications.getById(MISSING_ID)).toBeNull();
    });

    it('counts unread exactly, per recipient', async () => {
      const [to, from, other] = (await people(3)) as [User, User, User];
      const written = await repos().notifications.createMany([note(to, from), note(to, from), note(to, from)]);
      await repos().notifications.createMany([note(other, from)]);
      expect(await repos().notifications.countUnread(to.id)).toBe(3);
      await repos().notifications.markRead(written[1]!.id);
      expect(await repos().notifications.countUnread(to.id)).toBe(2);
      expect(await repos().notifications.countUnread(other.id)).toBe(1);
      expect(await repos().notifications.countUnread((await person()).id)).toBe(0);
    });

    it('marks one read, idempotently; an unknown id is not found', async () => {
      const [to, from] = (await people(2)) as [User, User];
      const [a, b] = await repos().notifications.createMany([note(to, from), note(to, from)]);
      const read = await repos().notifications.markRead(a!.id);
      expect(read).toEqual({ ...a, isRead: true });
      expect(await repos().notifications.markRead(a!.id)).toEqual(read);
      expect(await repos().notifications.getById(a!.id)).toEqual(read);
      expect((await repos().notifications.getById(b!.id))?.isRead).toBe(false);
      await expect(repos().notifications.markRead(MISSING_ID)).rejects.toBeInstanceOf(DataNotFoundError);
    });

    it('marks all of one recipient’s read, returning how many changed', async () => {
      const [to, from, other] = (await people(3)) as [User, User, User];
      const mine = await repos().notifications.createMany([note(to, from), note(to, from), note(to, from)]);
      await repos().notifications.markRead(mine[0]!.id);
      const [theirs] = await repos().notifications.createMany([note(other, from)]);
      expect(await repos().notifications.markAllRead(to.id)).toBe(2);
      expect(await repos().notifications.countUnread(to.id)).toBe(0);
      expect(await repos().notifications.markAllRead(to.id)).toBe(0);
      expect((await repos().notifications.getById(theirs!.id))?.isRead).toBe(false);
      expect(await repos().notifications.countUnread(other.id)).toBe(1);
    });

    it('creates many in input order with fresh ids, up to 100 per call', async () => {
      const [from, ...recipients] = (await people(4)) as User[];
      const input = Array.from({ length: 100 }, (_, i) => note(recipients[i % 3]!, from!, { title: `T${i}` }));
      const written = await repos().notifications.createMany(input);
      expect(written.map((n) => [n.recipientId, n.title])).toEqual(input.map((n) => [n.recipientId, n.title]));
      expect(new Set(written.map((n) => n.id)).size).toBe(100);
      for (const n of written) expect(n.id).toMatch(ULID);
      expect(await repos().notifications.countUnread(recipients[0]!.id)).toBe(34);
      expect(await repos().notifications.createMany([])).toEqual([]);
      const tooMany = Array.from({ length: 101 }, () => note(recipients[0]!, from!));
      await expect(repos().notifications.createMany(tooMany)).rejects.toThrow();
      expect(await repos().notifications.countUnread(recipients[0]!.id)).toBe(34);
    });

    it('replays what came strictly after a position, oldest first, at most `limit`', async () => {
      const [to, from, other] = (await people(3)) as [User, User, User];
      const written = await inSequence(to, from, 5);
      await repos().notifications.createMany([note(other, from)]);
      const at = (n: Notification) => ({ at: n.createdAt, id: n.id });
      const after1 = await repos().notifications.listAfter(to.id, at(written[1]!), 10);
      expect(after1.map((n) => n.id)).toEqual(written.slice(2).map((n) => n.id));
      const limited = await repos().notifications.listAfter(to.id, at(written[1]!), 2);
      expect(limited.map((n) => n.id)).toEqual(written.slice(2, 4).map((n) => n.id));
      expect(await repos().notifications.listAfter(to.id, at(written[4]!), 10)).toEqual([]);
      const fromStart = await repos().notifications.listAfter(to.id, { at: new Date(0).toISOString(), id: '' }, 100);
      expect(fromStart).toEqual(written);
    });

    describe('collapsing', () => {
      it('two senders with one key make ONE row that moves up, unread again, counting both', async () => {
        const [to, ana, ben] = (await people(3)) as [User, User, User];
        const key = `like:video:${to.id}`;
        const [first] = await repos().notifications.createMany([liked(to, ana, key)]);
        expect(first).toMatchObject({ id: collapsedNotificationId(to.id, key), actorCount: 1, senderId: ana.id });
        await repos().notifications.markRead(first!.id);
        await pause(5);
        const [second] = await repos().notifications.createMany([liked(to, ben, key)]);
        expect(second).toMatchObject({
          id: first!.id,
          recipientId: to.id,
          senderId: ben.id,
          senderName: ben.firstName,
          title: `${ben.firstName} liked your video`,
          isRead: false,
          actorCount: 2,
        });
        expect(second!.createdAt > first!.createdAt).toBe(true);
        const inbox = (await repos().notifications.listByRecipient(to.id)).items;
        expect(inbox).toEqual([second]);
        expect(await repos().notifications.getById(first!.id)).toEqual(second);
        expect(await repos().notifications.countUnread(to.id)).toBe(1);
      });

      it('the same sender twice still counts one actor', async () => {
        const [to, ana] = (await people(2)) as [User, User];
        const key = `like:video:${ana.id}`;
        await repos().notifications.createMany([liked(to, ana, key)]);
        const [again] = await repos().notifications.createMany([liked(to, ana, key)]);
        expect(again?.actorCount).toBe(1);
        expect((await repos().notifications.listByRecipient(to.id)).items).toHaveLength(1);
      });

      it('20 senders collapsing at once make one row with 20 actors', async () => {
        const [to, ...senders] = (await people(21)) as User[];
        const key = `like:video:${to!.id}`;
        await Promise.all(senders.map((s) => repos().notifications.createMany([liked(to!, s, key)])));
        const inbox = (await repos().notifications.listByRecipient(to!.id)).items;
        expect(inbox).toHaveLength(1);
        expect(inbox[0]).toMatchObject({ id: collapsedNotificationId(to!.id, key), actorCount: 20, isRead: false });
        expect(senders.map((s) => s.id)).toContain(inbox[0]!.senderId);
      });

      it('another key or another recipient is another row', async () => {
        const [to, other, ana] = (await people(3)) as [User, User, User];
        const written = await repos().notifications.createMany([
          liked(to, ana, 'like:video:one'),
          liked(to, ana, 'like:video:two'),
          liked(other, ana, 'like:video:one'),
          note(to, ana),
        ]);
        expect(new Set(written.map((n) => n.id)).size).toBe(4);
        expect(written.map((n) => n.actorCount)).toEqual([1, 1, 1, 1]);
        expect(written[0]!.id).toBe(collapsedNotificationId(to.id, 'like:video:one'));
        expect(written[2]!.id).toBe(collapsedNotificationId(other.id, 'like:video:one'));
        expect((await repos().notifications.listByRecipient(to.id)).items).toHaveLength(3);
      });

      it('likes that carry a collapseKey collapse through setLike too', async () => {
        const world = await aCommunity(repos(), 3);
        const [alice, bob, cara] = world.students as [User, User, User];
        const video = await aVideo(repos(), world, alice);
        const key = `like:video:${video.id}`;
        for (const fan of [bob, cara]) {
          await repos().interactions.setLike({
            target: videoTarget(video),
            userId: fan.id,
            liked: true,
            notification: liked(alice, fan, key),
          });
          await pause(3);
        }
        const inbox = (await repos().notifications.listByRecipient(alice.id)).items;
        expect(inbox).toHaveLength(1);
        expect(inbox[0]).toMatchObject({
          id: collapsedNotificationId(alice.id, key),
          type: 'like',
          senderId: cara.id,
          actorCount: 2,
          isRead: false,
        });
      });
    });
  });
}
