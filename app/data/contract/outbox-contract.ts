/**
 * Contract, outbox: every notification and message write leaves an entry naming what
 * happened, and claiming is a lease — oldest first, never handed to two claimers at once,
 * due again when the lease runs out or a retry time passes, gone once completed.
 *
 * Tests share the database with every other part (and earlier runs), so the outbox is never
 * assumed empty: each test names its own entries by the ids it created, and claims in a
 * bounded loop, completing anything else it meets so the backlog drains.
 */
import { describe, expect, it } from 'vitest';
import { DataNotFoundError } from '../errors';
import { collapsedNotificationId } from '../ids';
import {
  connectionIdFor,
  type NewNotification,
  type OutboxEntry,
  type OutboxEvent,
  type Repositories,
  type User,
} from '../repository';
import { notificationFor, videoTarget } from './builders';
import { aCommunity, aVideo } from './community-world';
import { aUser } from './repository-contract';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC3';
const LONG_LEASE_MS = 60_000;
const MAX_ROUNDS = 400;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mine = (entry: OutboxEntry) => boolean;

export function describeOutboxContract(getRepos: () => Repositories) {
  const repos = () => getRepos();
  const people = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => repos().users.create(aUser({ firstName: `Out${i}` }))));
  const toRecipient =
    (...users: User[]): Mine =>
    ({ event }) =>
      event.topic === 'notification' && users.some((u) => u.id === event.recipientId);
  const inConversation =
    (a: User, b: User): Mine =>
    (e) =>
      e.event.topic === 'message' && e.event.conversationId === connectionIdFor(a.id, b.id);

  /**
   * Claims until `want` of our entries were seen (or, with want = 'all', until nothing is due),
   * completing every entry that is not ours. Returns ours in claim order; ours stay leased.
   */
  async function claimOurs(mine: Mine, want: number | 'all', leaseMs = LONG_LEASE_MS): Promise<OutboxEntry[]> {
    const ours: OutboxEntry[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = await repos().outbox.claimDue(100, leaseMs);
      for (const entry of batch) {
        if (mine(entry)) ours.push(entry);
        else await repos().outbox.complete(entry.id);
      }
      if (want !== 'all' && ours.length >= want) return ours;
      if (batch.length === 0) return ours;
    }
    throw new Error(`outbox still had due entries after ${MAX_ROUNDS} claims`);
  }
  const events = (entries: OutboxEntry[]) => entries.map((e) => e.event);
  const completeAll = async (entries: OutboxEntry[]) => {
    for (const e of entries) await repos().outbox.complete(e.id);
  };
  const notificationEvent = (notificationId: string, recipient: User): OutboxEvent => ({
    topic: 'notification',
    notificationId,
    recipientId: recipient.id,
  });
  const inboxIds = async (user: User) =>
    (await repos().notifications.listByRecipient(user.id, { limit: 100 })).items.map((n) => n.id);

  describe('outbox', () => {
    it('createMany writes one notification entry per notification, collapsed ones included', async () => {
      const [to, ana, ben] = (await people(3)) as [User, User, User];
      const key = `like:video:${to.id}`;
      const like = (from: User): NewNotification => ({ ...notificationFor(to, from, 'like'), collapseKey: key });
      const plain = await repos().notifications.createMany([notificationFor(to, ana, 'announcement')]);
      await repos().notifications.createMany([like(ana)]);
      await repos().notifications.createMany([like(ben)]);
      const ours = await claimOurs(toRecipient(to), 3);
      const collapsed = collapsedNotificationId(to.id, key);
      expect(events(ours)).toEqual([
        notificationEvent(plain[0]!.id, to),
        notificationEvent(collapsed, to),
        notificationEvent(collapsed, to),
      ]);
      for (const e of ours) expect(e).toMatchObject({ attempts: 0, lastError: null });
      await completeAll(ours);
    });

    it('likes, comments, grades and connection requests/accepts write their notification’s entry', async () => {
      const world = await aCommunity(repos(), 2);
      const [alice, bob] = world.students as [User, User];
      const video = await aVideo(repos(), world, alice);
      await repos().interactions.setLike({
        target: videoTarget(video),
        userId: bob.id,
        liked: true,
        notification: notificationFor(alice, bob, 'like', video.id),
      });
      await repos().interactions.addComment(
        { target: videoTarget(video), userId: bob.id, type: 'comment', content: 'Nice' },
        notificationFor(alice, bob, 'comment', video.id),
      );
      await repos().submissions.grade({
        submissionId: video.id,
        grade: 9,
        feedback: 'Good',
        gradedBy: world.teacher.id,
        notification: notificationFor(alice, world.teacher, 'grade', video.id),
      });
      const { connection } = await repos().connections.request({
        requesterId: alice.id,
        requestedId: bob.id,
        notification: notificationFor(bob, alice, 'connection_request'),
      });
      await repos().connections.accept(connection.connectionId, notificationFor(alice, bob, 'connection_accepted'));
      const ours = await claimOurs(toRecipient(alice, bob), 5);
      const aliceInbox = (await inboxIds(alice)).reverse();
      const bobInbox = await inboxIds(bob);
      expect(aliceInbox).toHaveLength(4);
      expect(bobInbox).toHaveLength(1);
      expect(events(ours)).toEqual([
        notificationEvent(aliceInbox[0]!, alice),
        notificationEvent(aliceInbox[1]!, alice),
        notificationEvent(aliceInbox[2]!, alice),
        notificationEvent(bobInbox[0]!, bob),
        notificationEvent(aliceInbox[3]!, alice),
      ]);
      await completeAll(ours);
    });

    it('a message writes its message entry, and its notification’s entry', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const plain = await repos().messages.send({ fromUserId: ann.id, toUserId: ben.id, content: 'hi' }, null);
      const noted = await repos().messages.send(
        { fromUserId: ben.id, toUserId: ann.id, content: 'hey' },
        notificationFor(ann, ben, 'message'),
      );
      const ours = await claimOurs((e) => inConversation(ann, ben)(e) || toRecipient(ann, ben)(e), 3);
      const [noteId] = await inboxIds(ann);
      const messageEvent = (m: typeof plain): OutboxEvent => ({
        topic: 'message',
        messageId: m.id,
        conversationId: m.conversationId,
        fromUserId: m.fromUserId,
        toUserId: m.toUserId,
      });
      expect(events(ours)).toHaveLength(3);
      expect(events(ours)[0]).toEqual(messageEvent(plain));
      expect(events(ours).slice(1)).toEqual(
        expect.arrayContaining([messageEvent(noted), notificationEvent(noteId!, ann)]),
      );
      await completeAll(ours);
    });

    it('claims oldest first and leases: a second claim right after skips what is leased', async () => {
      const [to, from] = (await people(2)) as [User, User];
      for (let i = 0; i < 3; i++) {
        await repos().notifications.createMany([notificationFor(to, from, 'announcement')]);
        await pause(2);
      }
      const ours = await claimOurs(toRecipient(to), 3);
      expect(events(ours)).toEqual((await inboxIds(to)).reverse().map((id) => notificationEvent(id, to)));
      const times = ours.map((e) => e.createdAt);
      expect([...times].sort()).toEqual(times);
      expect(await claimOurs(toRecipient(to), 'all')).toEqual([]);
      await completeAll(ours);
    });

    it('two claimers at once never get the same entry', async () => {
      const [to, from] = (await people(2)) as [User, User];
      await repos().notifications.createMany(
        Array.from({ length: 12 }, () => notificationFor(to, from, 'announcement')),
      );
      const claimed: OutboxEntry[] = [];
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const [a, b] = await Promise.all([
          repos().outbox.claimDue(5, LONG_LEASE_MS),
          repos().outbox.claimDue(5, LONG_LEASE_MS),
        ]);
        claimed.push(...a!, ...b!);
        for (const e of [...a!, ...b!]) if (!toRecipient(to)(e)) await repos().outbox.complete(e.id);
        if (a!.length + b!.length === 0 || claimed.filter(toRecipient(to)).length >= 12) break;
      }
      const ids = claimed.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const ours = claimed.filter(toRecipient(to));
      expect(ours).toHaveLength(12);
      await completeAll(ours);
    });

    it('an entry whose lease ran out is due again', async () => {
      const [to, from] = (await people(2)) as [User, User];
      await repos().notifications.createMany([notificationFor(to, from, 'announcement')]);
      const [first] = await claimOurs(toRecipient(to), 1, 300);
      expect(first).toBeDefined();
      await pause(400);
      const [again] = await claimOurs(toRecipient(to), 1);
      expect(again?.id).toBe(first!.id);
      expect(again?.event).toEqual(first!.event);
      await repos().outbox.complete(again!.id);
    });

    it('a completed entry is never claimed again, and completing twice is harmless', async () => {
      const [to, from] = (await people(2)) as [User, User];
      await repos().notifications.createMany([notificationFor(to, from, 'announcement')]);
      const [entry] = await claimOurs(toRecipient(to), 1, 200);
      await repos().outbox.complete(entry!.id);
      await repos().outbox.complete(entry!.id);
      await pause(300);
      expect(await claimOurs(toRecipient(to), 'all')).toEqual([]);
    });

    it('a failed entry counts the attempt, keeps the error and is due again only after the retry time', async () => {
      const [to, from] = (await people(2)) as [User, User];
      await repos().notifications.createMany([notificationFor(to, from, 'announcement')]);
      const [entry] = await claimOurs(toRecipient(to), 1);
      await repos().outbox.fail(entry!.id, 'bus unreachable', 700);
      expect(await claimOurs(toRecipient(to), 'all')).toEqual([]);
      await pause(800);
      const [retried] = await claimOurs(toRecipient(to), 1);
      expect(retried).toMatchObject({ id: entry!.id, attempts: 1, lastError: 'bus unreachable', event: entry!.event });
      await repos().outbox.fail(retried!.id, 'still down', 0);
      const [third] = await claimOurs(toRecipient(to), 1);
      expect(third).toMatchObject({ id: entry!.id, attempts: 2, lastError: 'still down' });
      await repos().outbox.complete(third!.id);
    });

    it('counts pending entries: a write adds, completing removes', async () => {
      const [to, from] = (await people(2)) as [User, User];
      const before = await repos().outbox.countPending();
      await repos().notifications.createMany([notificationFor(to, from, 'announcement')]);
      expect(await repos().outbox.countPending()).toBe(before + 1);
      const [entry] = await claimOurs(toRecipient(to), 1);
      const leased = await repos().outbox.countPending();
      await repos().outbox.complete(entry!.id);
      expect(await repos().outbox.countPending()).toBe(leased - 1);
    });

    it('says when the oldest pending entry was written, and forgets it once done', async () => {
      const [to, from] = (await people(2)) as [User, User];
      const [written] = await repos().notifications.createMany([notificationFor(to, from, 'announcement')]);
      const oldest = await repos().outbox.oldestPendingAt();
      expect(oldest).not.toBeNull();
      expect(oldest! <= written!.createdAt).toBe(true);
      const [entry] = await claimOurs(toRecipient(to), 1);
      await repos().outbox.complete(entry!.id);
      const after = await repos().outbox.oldestPendingAt();
      if (after !== null) expect(after <= new Date().toISOString()).toBe(true);
    });

    it('tells onWrite listeners after a committed write, not after a failed one, until unsubscribed', async () => {
      const world = await aCommunity(repos(), 2);
      const [alice, bob] = world.students as [User, User];
      const key = `like:video:${alice.id}:listener`;
      const seen: Promise<unknown>[] = [];
      const unsubscribe = repos().outbox.onWrite(() => {
        seen.push(repos().notifications.getById(collapsedNotificationId(alice.id, key)));
      });
      try {
        await repos().notifications.createMany([{ ...notificationFor(alice, bob, 'like'), collapseKey: key }]);
        expect(seen.length).toBeGreaterThanOrEqual(1);
        for (const found of await Promise.all(seen)) expect(found).not.toBeNull();

        const calls = seen.length;
        const missing = { ...videoTarget({ id: MISSING_ID, courseId: world.course.id, ownerId: alice.id }) };
        await expect(
          repos().interactions.setLike({
            target: missing,
            userId: bob.id,
            liked: true,
            notification: notificationFor(alice, bob, 'like', MISSING_ID),
          }),
        ).rejects.toBeInstanceOf(DataNotFoundError);
        expect(seen.length).toBe(calls);

        await repos().messages.send({ fromUserId: bob.id, toUserId: alice.id, content: 'hi' }, null);
        expect(seen.length).toBeGreaterThan(calls);
      } finally {
        unsubscribe();
      }
      const afterUnsubscribe = seen.length;
      await repos().notifications.createMany([notificationFor(alice, bob, 'announcement')]);
      expect(seen.length).toBe(afterUnsubscribe);
      await completeAll(await claimOurs((e) => toRecipient(alice, bob)(e) || inConversation(alice, bob)(e), 3));
    });
  });
}
