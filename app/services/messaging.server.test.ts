import { describe, expect, it } from 'vitest';
import { collapsedNotificationId } from '~/data/ids';
import { conversationIdFor, type User } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  MESSAGE_MAX,
  listConversations,
  messageCollapseKey,
  messageablePeople,
  messagePreview,
  openThread,
  readConversation,
  sendMessage,
} from './messaging.server';

const world = setupServiceContext();
const { aUser, aCourse, aClass } = builders(world);

const UNKNOWN_USER = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
/** Lets the clock move on, so messages sent one after another never share a millisecond. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

function bellEntryOf(recipient: User, sender: User) {
  const conversationId = conversationIdFor(recipient.id, sender.id);
  return world.ctx.repos.notifications.getById(
    collapsedNotificationId(recipient.id, messageCollapseKey(conversationId)),
  );
}

describe('sendMessage', () => {
  it('stores a trimmed message from the caller and writes the recipient one collapsed bell entry', async () => {
    const { alice, bob } = await aClass();
    const message = await sendMessage(world.ctx, alice, {
      toUserId: bob.id,
      content: '  Are you ready for the quiz?  ',
    });
    expect(message).toMatchObject({
      conversationId: conversationIdFor(alice.id, bob.id),
      fromUserId: alice.id,
      toUserId: bob.id,
      content: 'Are you ready for the quiz?',
      read: false,
    });
    const note = await bellEntryOf(bob, alice);
    expect(note).toMatchObject({
      recipientId: bob.id,
      senderId: alice.id,
      type: 'message',
      title: `New message from Alice ${alice.lastName}`,
      message: 'Are you ready for the quiz?',
      relatedId: message.conversationId,
      relatedType: 'conversation',
      actionUrl: `/messages/${alice.id}`,
      isRead: false,
    });
    // A burst collapses into that one entry, showing the latest words.
    await sendMessage(world.ctx, alice, { toUserId: bob.id, content: 'Chapter 4 too' });
    const bobsNotes = (await world.ctx.repos.notifications.listByRecipient(bob.id)).items;
    expect(bobsNotes.filter((n) => n.type === 'message')).toHaveLength(1);
    expect((await bellEntryOf(bob, alice))?.message).toBe('Chapter 4 too');
    expect(await world.ctx.repos.notifications.countUnread(alice.id)).toBe(0);
  });

  it('refuses empty and oversize content with 400, naming the field', async () => {
    const { alice, bob } = await aClass();
    await expect(sendMessage(world.ctx, alice, { toUserId: bob.id, content: '   ' })).rejects.toMatchObject({
      status: 400,
      details: { fields: { content: ['Write a message first.'] } },
    });
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: bob.id, content: 'x'.repeat(MESSAGE_MAX + 1) }), 400);
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: bob.id }), 400);
    await expectStatus(sendMessage(world.ctx, alice, { content: 'hi' }), 400);
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: bob.id, content: 42 }), 400);
    const atLimit = await sendMessage(world.ctx, alice, { toUserId: bob.id, content: 'y'.repeat(MESSAGE_MAX) });
    expect(atLimit.content).toHaveLength(MESSAGE_MAX);
  });

  it('refuses yourself and strangers (403), unknown people (404), and a fromUserId that is not the caller (403)', async () => {
    const { alice, bob, outsider } = await aClass();
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: alice.id, content: 'me' }), 403);
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: outsider.id, content: 'hi' }), 403);
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: UNKNOWN_USER, content: 'hi' }), 404);
    await expectStatus(sendMessage(world.ctx, alice, { toUserId: bob.id, content: 'hi', fromUserId: bob.id }), 403);
    await expectStatus(sendMessage(world.ctx, null, { toUserId: bob.id, content: 'hi' }), 401);
    const own = await sendMessage(world.ctx, alice, { toUserId: bob.id, content: 'hi', fromUserId: alice.id });
    expect(own.fromUserId).toBe(alice.id);
    expect((await world.ctx.repos.messages.listConversations(outsider.id)).items).toEqual([]);
  });
});

describe('conversations and threads', () => {
  it('lists conversations newest first with the other person and exact unread counts; only the caller’s own', async () => {
    const { alice, bob, teacher, admin } = await aClass();
    await sendMessage(world.ctx, bob, { toUserId: alice.id, content: 'one' });
    await sendMessage(world.ctx, bob, { toUserId: alice.id, content: 'two' });
    await tick();
    await sendMessage(world.ctx, teacher, { toUserId: alice.id, content: 'See me after class about your essay' });
    const { conversations, nextCursor } = await listConversations(world.ctx, alice);
    expect(nextCursor).toBeNull();
    expect(conversations.map((c) => c.otherUserId)).toEqual([teacher.id, bob.id]);
    expect(conversations[1]).toMatchObject({
      lastMessage: 'two',
      unreadCount: 2,
      other: { id: bob.id, name: `Bob ${bob.lastName}` },
    });
    expect((await listConversations(world.ctx, bob, { userId: bob.id })).conversations[0]?.unreadCount).toBe(0);
    await expectStatus(listConversations(world.ctx, bob, { userId: alice.id }), 403);
    await expectStatus(listConversations(world.ctx, admin, { userId: alice.id }), 403);
    await expectStatus(listConversations(world.ctx, null), 401);
  });

  it('pages conversations by cursor', async () => {
    const teacher = await aUser('instructor');
    const students = await Promise.all([1, 2, 3].map(() => aUser('student')));
    await aCourse(teacher, students);
    for (const s of students) {
      await sendMessage(world.ctx, s, { toUserId: teacher.id, content: `from ${s.id}` });
      await tick();
    }
    const first = await listConversations(world.ctx, teacher, {}, { limit: 2 });
    expect(first.conversations.map((c) => c.otherUserId)).toEqual([students[2]!.id, students[1]!.id]);
    const second = await listConversations(world.ctx, teacher, {}, { limit: 2, cursor: first.nextCursor });
    expect(second.conversations.map((c) => c.otherUserId)).toEqual([students[0]!.id]);
    expect(second.nextCursor).toBeNull();
  });

  it('opens a thread in reading order, pages older messages, and marks it and its bell entry read', async () => {
    const { alice, bob } = await aClass();
    for (let i = 1; i <= 5; i += 1) {
      await sendMessage(world.ctx, i % 2 ? alice : bob, { toUserId: i % 2 ? bob.id : alice.id, content: `m${i}` });
      await tick();
    }
    expect(await world.ctx.repos.messages.countUnread(bob.id)).toBe(3);
    expect((await bellEntryOf(bob, alice))?.isRead).toBe(false);

    const latest = await openThread(world.ctx, bob, alice.id, { limit: 3 });
    expect(latest.messages.map((m) => m.content)).toEqual(['m3', 'm4', 'm5']);
    expect(latest.mayReply).toBe(true);
    expect(latest.other).toMatchObject({ id: alice.id });
    expect(latest.messages.filter((m) => m.toUserId === bob.id).every((m) => m.read)).toBe(true);
    expect(await world.ctx.repos.messages.countUnread(bob.id)).toBe(0);
    expect((await bellEntryOf(bob, alice))?.isRead).toBe(true);
    // Alice's own messages to Bob are read now; Bob's to her stay unread until she opens it.
    expect(await world.ctx.repos.messages.countUnread(alice.id)).toBe(2);

    const older = await openThread(world.ctx, bob, alice.id, { limit: 3, cursor: latest.olderCursor });
    expect(older.messages.map((m) => m.content)).toEqual(['m1', 'm2']);
    expect(older.olderCursor).toBeNull();
  });

  it('403s a thread page with a stranger, 404s an unknown person, shows an old thread without reply', async () => {
    const { alice, bob, outsider } = await aClass();
    await expectStatus(openThread(world.ctx, alice, outsider.id), 403);
    await expectStatus(openThread(world.ctx, alice, UNKNOWN_USER), 404);
    await expectStatus(openThread(world.ctx, alice, alice.id), 403);
    // Buddies who stop being buddies keep their history, but may not write more.
    const ana = await aUser('student');
    const { connection } = await world.ctx.repos.connections.request({
      requesterId: ana.id,
      requestedId: outsider.id,
      notification: null,
    });
    await world.ctx.repos.connections.accept(connection.connectionId, null);
    await sendMessage(world.ctx, ana, { toUserId: outsider.id, content: 'bye' });
    await world.ctx.repos.connections.remove(connection.connectionId);
    const past = await openThread(world.ctx, outsider, ana.id);
    expect(past).toMatchObject({ mayReply: false, messages: [{ content: 'bye' }] });
    await expectStatus(sendMessage(world.ctx, outsider, { toUserId: ana.id, content: 'wait' }), 403);
    expect((await openThread(world.ctx, alice, bob.id)).messages).toEqual([]);
  });

  it('reads by pair for the API: the caller must be one side; reading marks received messages read', async () => {
    const { alice, bob, outsider, admin } = await aClass();
    await sendMessage(world.ctx, alice, { toUserId: bob.id, content: 'hello' });
    await expectStatus(readConversation(world.ctx, outsider, { userId1: alice.id, userId2: bob.id }), 403);
    await expectStatus(readConversation(world.ctx, admin, { userId1: alice.id, userId2: bob.id }), 403);
    await expectStatus(readConversation(world.ctx, bob, { userId1: bob.id, userId2: UNKNOWN_USER }), 404);
    await expectStatus(readConversation(world.ctx, bob, { userId1: bob.id }), 400);
    // The sender reading does not mark the recipient's message read.
    const bySender = await readConversation(world.ctx, alice, { userId1: alice.id, userId2: bob.id });
    expect(bySender.messages).toMatchObject([{ content: 'hello', read: false }]);
    expect(await world.ctx.repos.messages.countUnread(bob.id)).toBe(1);
    const byRecipient = await readConversation(world.ctx, bob, { userId1: alice.id, userId2: bob.id });
    expect(byRecipient.messages).toMatchObject([{ content: 'hello', read: true }]);
    expect(await world.ctx.repos.messages.countUnread(bob.id)).toBe(0);
    expect((await bellEntryOf(bob, alice))?.isRead).toBe(true);
  });
});

describe('messageablePeople', () => {
  it('offers course-mates (students and instructors) and buddies, never yourself or strangers, by name', async () => {
    const { alice, bob, teacher, outsider } = await aClass();
    const buddy = await aUser('student', { firstName: 'Zed' });
    const { connection } = await world.ctx.repos.connections.request({
      requesterId: buddy.id,
      requestedId: alice.id,
      notification: null,
    });
    await world.ctx.repos.connections.accept(connection.connectionId, null);
    const people = await messageablePeople(world.ctx, alice);
    const ids = people.map((p) => p.id);
    expect(new Set(ids)).toEqual(new Set([bob.id, teacher.id, buddy.id]));
    expect(ids).not.toContain(outsider.id);
    expect(people.map((p) => p.name)).toEqual([...people.map((p) => p.name)].sort((a, b) => a.localeCompare(b)));
    expect(await messageablePeople(world.ctx, outsider)).toEqual([]);
    await expectStatus(messageablePeople(world.ctx, null), 401);
  });
});

describe('messagePreview', () => {
  it('keeps short text, puts it on one line, and shortens long text with an ellipsis', () => {
    expect(messagePreview('Hi\n\nthere')).toBe('Hi there');
    const long = messagePreview('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long.endsWith('…')).toBe(true);
  });
});
