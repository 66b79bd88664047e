/**
 * Contract, direct messages: a message and both participants' conversation summaries move
 * together, unread counts stay exact under concurrent sends, and reading a thread touches only
 * what was sent to the reader.
 */
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../errors';
import { conversationIdFor, type Message, type Repositories, type User } from '../repository';
import { notificationFor } from './builders';
import { drain } from './community-world';
import { aUser } from './repository-contract';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC2';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function describeMessagesContract(getRepos: () => Repositories) {
  const repos = () => getRepos();
  const people = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => repos().users.create(aUser({ firstName: `Pen${i}` }))));
  const send = (from: User, to: User, content: string) =>
    repos().messages.send({ fromUserId: from.id, toUserId: to.id, content }, null);
  /** Sends in order, a little apart, so each message has its own time. */
  async function exchange(turns: [User, User, string][]): Promise<Message[]> {
    const out: Message[] = [];
    for (const [from, to, content] of turns) {
      out.push(await send(from, to, content));
      await pause(2);
    }
    return out;
  }
  const summaryOf = async (user: User, other: User) =>
    (await repos().messages.listConversations(user.id, { limit: 100 })).items.find((c) => c.otherUserId === other.id);

  describe('messages', () => {
    it('send returns the stored message, unread, in the pair’s conversation', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const message = await send(ann, ben, 'Hi Ben!\nSee you at 7?');
      expect(message).toMatchObject({
        conversationId: conversationIdFor(ann.id, ben.id),
        fromUserId: ann.id,
        toUserId: ben.id,
        content: 'Hi Ben!\nSee you at 7?',
        read: false,
      });
      expect(message.conversationId).toBe([ann.id, ben.id].sort().join('_'));
      expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
      expect(await repos().messages.getById(message.id)).toEqual(message);
      expect(await repos().messages.getById(MISSING_ID)).toBeNull();
    });

    it('both participants get a summary of the latest message; only the recipient’s unread grows', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const [, last] = await exchange([
        [ann, ben, 'one'],
        [ann, ben, 'two'],
      ]);
      const conversationId = conversationIdFor(ann.id, ben.id);
      const latest = {
        conversationId,
        lastMessageId: last!.id,
        lastMessage: 'two',
        lastFromUserId: ann.id,
        lastAt: last!.createdAt,
      };
      expect(await summaryOf(ben, ann)).toEqual({ ...latest, userId: ben.id, otherUserId: ann.id, unreadCount: 2 });
      expect(await summaryOf(ann, ben)).toEqual({ ...latest, userId: ann.id, otherUserId: ben.id, unreadCount: 0 });
      const reply = await send(ben, ann, 'three');
      expect(await summaryOf(ann, ben)).toMatchObject({
        lastMessageId: reply.id,
        lastFromUserId: ben.id,
        unreadCount: 1,
      });
      expect(await summaryOf(ben, ann)).toMatchObject({ lastMessage: 'three', unreadCount: 2 });
    });

    it('lists conversations most recent first, across pages', async () => {
      const [ann, ben, cid, dee] = (await people(4)) as [User, User, User, User];
      await exchange([
        [ann, ben, 'to ben'],
        [cid, ann, 'from cid'],
        [ann, dee, 'to dee'],
        [ben, ann, 'ben again'],
      ]);
      const pages: number[] = [];
      const all = await drain(async (cursor) => {
        const page = await repos().messages.listConversations(ann.id, { limit: 2, cursor });
        pages.push(page.items.length);
        return page;
      });
      expect(all.map((c) => c.otherUserId)).toEqual([ben.id, dee.id, cid.id]);
      expect(all.every((c) => c.userId === ann.id)).toBe(true);
      expect(pages).toEqual([2, 1]);
      expect((await repos().messages.listConversations(dee.id)).items.map((c) => c.otherUserId)).toEqual([ann.id]);
      const first = await repos().messages.listConversations(ann.id, { limit: 1 });
      await expect(
        repos().messages.listConversations(ben.id, { limit: 1, cursor: first.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('lists a thread newest first across pages, only that conversation', async () => {
      const [ann, ben, cid] = (await people(3)) as [User, User, User];
      const sent = await exchange([
        [ann, ben, 'a'],
        [ben, ann, 'b'],
        [ann, cid, 'not this thread'],
        [ann, ben, 'c'],
        [ben, ann, 'd'],
        [ann, ben, 'e'],
      ]);
      const thread = sent.filter((m) => m.content !== 'not this thread');
      const conversationId = conversationIdFor(ann.id, ben.id);
      const all = await drain((cursor) => repos().messages.listThread(conversationId, { limit: 2, cursor }));
      expect(all).toEqual([...thread].reverse());
      const first = await repos().messages.listThread(conversationId, { limit: 2 });
      await expect(
        repos().messages.listThread(conversationIdFor(ann.id, cid.id), { limit: 2, cursor: first.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('reading a thread marks only messages to the reader, once', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const [toBen1, toAnn, toBen2] = await exchange([
        [ann, ben, 'one'],
        [ben, ann, 'two'],
        [ann, ben, 'three'],
      ]);
      const conversationId = conversationIdFor(ann.id, ben.id);
      expect(await repos().messages.markThreadRead(conversationId, ben.id)).toBe(2);
      expect((await repos().messages.getById(toBen1!.id))?.read).toBe(true);
      expect((await repos().messages.getById(toBen2!.id))?.read).toBe(true);
      expect((await repos().messages.getById(toAnn!.id))?.read).toBe(false);
      expect((await summaryOf(ben, ann))?.unreadCount).toBe(0);
      expect((await summaryOf(ann, ben))?.unreadCount).toBe(1);
      expect(await repos().messages.markThreadRead(conversationId, ben.id)).toBe(0);
      expect(await repos().messages.countUnread(ben.id)).toBe(0);
      expect(await repos().messages.countUnread(ann.id)).toBe(1);
    });

    it('counts unread over every conversation', async () => {
      const [ann, ben, cid] = (await people(3)) as [User, User, User];
      await exchange([
        [ann, ben, '1'],
        [ann, ben, '2'],
        [cid, ben, '3'],
        [cid, ben, '4'],
        [cid, ben, '5'],
        [ben, ann, 'mine'],
      ]);
      expect(await repos().messages.countUnread(ben.id)).toBe(5);
      await repos().messages.markThreadRead(conversationIdFor(ann.id, ben.id), ben.id);
      expect(await repos().messages.countUnread(ben.id)).toBe(3);
      expect(await repos().messages.countUnread(ann.id)).toBe(1);
    });

    it('replays messages TO the user strictly after a position, oldest first, at most `limit`', async () => {
      const [ann, ben, cid] = (await people(3)) as [User, User, User];
      const [m1, , m3, m4] = await exchange([
        [ann, ben, 'm1'],
        [ben, ann, 'm2 (from ben)'],
        [ann, ben, 'm3'],
        [cid, ben, 'm4'],
      ]);
      const at = (m: Message) => ({ at: m.createdAt, id: m.id });
      const ids = (ms: Message[]) => ms.map((m) => m.id);
      expect(ids(await repos().messages.listReceivedAfter(ben.id, at(m1!), 10))).toEqual(ids([m3!, m4!]));
      expect(ids(await repos().messages.listReceivedAfter(ben.id, at(m1!), 1))).toEqual(ids([m3!]));
      expect(await repos().messages.listReceivedAfter(ben.id, at(m4!), 10)).toEqual([]);
      const all = await repos().messages.listReceivedAfter(ben.id, { at: new Date(0).toISOString(), id: '' }, 100);
      expect(all).toEqual([m1, m3, m4]);
    });

    it('a send with a notification writes it for the recipient', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const message = await repos().messages.send(
        { fromUserId: ann.id, toUserId: ben.id, content: 'ping' },
        { ...notificationFor(ben, ann, 'message'), relatedId: conversationIdFor(ann.id, ben.id) },
      );
      const inbox = (await repos().notifications.listByRecipient(ben.id)).items;
      expect(inbox.map((n) => [n.type, n.senderId, n.relatedId])).toEqual([
        ['message', ann.id, message.conversationId],
      ]);
      expect((await repos().notifications.listByRecipient(ann.id)).items).toEqual([]);
    });

    it('50 parallel sends in one conversation: 50 messages, unread exactly 50', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const sent = await Promise.all(Array.from({ length: 50 }, (_, i) => send(ann, ben, `burst ${i}`)));
      const conversationId = conversationIdFor(ann.id, ben.id);
      const thread = await drain((cursor) => repos().messages.listThread(conversationId, { limit: 100, cursor }));
      expect(thread).toHaveLength(50);
      expect(new Set(thread.map((m) => m.id))).toEqual(new Set(sent.map((m) => m.id)));
      const summary = await summaryOf(ben, ann);
      expect(summary?.unreadCount).toBe(50);
      expect(summary?.lastMessageId).toBe(thread[0]!.id);
      expect((await summaryOf(ann, ben))?.lastMessageId).toBe(thread[0]!.id);
      expect(await repos().messages.countUnread(ben.id)).toBe(50);
    });
  });
}
