/** The access rules of the messaging section, on the real adapter. */
import { describe, expect, it } from 'vitest';
import { conversationIdFor } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  mayMessagePerson,
  requireMayMessage,
  requireOwnConversations,
  requireOwnPair,
  requirePersonRelation,
  requireThreadParticipant,
} from './access.server';

const world = setupServiceContext();
const { aUser, aClass } = builders(world);

const UNKNOWN_USER = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

async function makeBuddies(a: { id: string }, b: { id: string }) {
  const { connection } = await world.ctx.repos.connections.request({
    requesterId: a.id,
    requestedId: b.id,
    notification: null,
  });
  await world.ctx.repos.connections.accept(connection.connectionId, null);
}

describe('requireMayMessage', () => {
  it('lets course members message each other: classmates, and a student and their instructor both ways', async () => {
    const { alice, bob, teacher } = await aClass();
    const access = await requireMayMessage(world.ctx, alice, bob.id);
    expect(access).toMatchObject({ user: { id: alice.id }, other: { id: bob.id } });
    expect(access.conversationId).toBe(conversationIdFor(alice.id, bob.id));
    expect((await requireMayMessage(world.ctx, teacher, alice.id)).other.id).toBe(alice.id);
    expect((await requireMayMessage(world.ctx, bob, teacher.id)).other.id).toBe(teacher.id);
  });

  it('lets accepted study buddies message each other without a shared course, but not while pending', async () => {
    const ana = await aUser('student');
    const ben = await aUser('student');
    const { connection } = await world.ctx.repos.connections.request({
      requesterId: ana.id,
      requestedId: ben.id,
      notification: null,
    });
    await expectStatus(requireMayMessage(world.ctx, ana, ben.id), 403);
    await world.ctx.repos.connections.accept(connection.connectionId, null);
    expect((await requireMayMessage(world.ctx, ana, ben.id)).other.id).toBe(ben.id);
    expect((await requireMayMessage(world.ctx, ben, ana.id)).other.id).toBe(ana.id);
  });

  it('refuses yourself (403), a stranger (403), an unknown user (404) and the signed-out (401)', async () => {
    const { alice, outsider, otherTeacher } = await aClass();
    await expectStatus(requireMayMessage(world.ctx, alice, alice.id), 403);
    await expectStatus(requireMayMessage(world.ctx, alice, outsider.id), 403);
    await expectStatus(requireMayMessage(world.ctx, outsider, alice.id), 403);
    // Teaching some course is not a licence to message every student.
    await expectStatus(requireMayMessage(world.ctx, otherTeacher, alice.id), 403);
    await expectStatus(requireMayMessage(world.ctx, alice, UNKNOWN_USER), 404);
    await expectStatus(requireMayMessage(world.ctx, null, alice.id), 401);
  });

  it('lets an admin message anyone, and then lets that person answer the admin', async () => {
    const { admin, outsider } = await aClass();
    await expectStatus(requireMayMessage(world.ctx, outsider, admin.id), 403);
    expect((await requireMayMessage(world.ctx, admin, outsider.id)).other.id).toBe(outsider.id);
    await world.ctx.repos.messages.send({ fromUserId: admin.id, toUserId: outsider.id, content: 'Hello' }, null);
    expect((await requireMayMessage(world.ctx, outsider, admin.id)).other.id).toBe(admin.id);
  });
});

describe('mayMessagePerson', () => {
  it('agrees with requireMayMessage, for the links pages show', async () => {
    const { alice, bob, outsider } = await aClass();
    const buddy = await aUser('student');
    await makeBuddies(outsider, buddy);
    const relation = (viewer: typeof alice, personId: string) => requirePersonRelation(world.ctx, viewer, personId);
    expect(await mayMessagePerson(world.ctx, await relation(alice, bob.id))).toBe(true);
    expect(await mayMessagePerson(world.ctx, await relation(alice, outsider.id))).toBe(false);
    expect(await mayMessagePerson(world.ctx, await relation(alice, alice.id))).toBe(false);
    expect(await mayMessagePerson(world.ctx, await relation(outsider, buddy.id))).toBe(true);
  });
});

describe('thread and conversation readers', () => {
  it('a thread is read with the caller as one side; the other must exist; never with yourself', async () => {
    const { alice, bob } = await aClass();
    const access = await requireThreadParticipant(world.ctx, alice, bob.id);
    expect(access.conversationId).toBe(conversationIdFor(bob.id, alice.id));
    await expectStatus(requireThreadParticipant(world.ctx, alice, UNKNOWN_USER), 404);
    await expectStatus(requireThreadParticipant(world.ctx, alice, alice.id), 403);
    await expectStatus(requireThreadParticipant(world.ctx, null, bob.id), 401);
  });

  it('a pair named by a client must include the caller, whoever the caller is (admins too)', async () => {
    const { alice, bob, outsider, admin } = await aClass();
    expect(requireOwnPair(alice, alice.id, bob.id).otherUserId).toBe(bob.id);
    expect(requireOwnPair(alice, bob.id, alice.id).otherUserId).toBe(bob.id);
    expect(() => requireOwnPair(outsider, alice.id, bob.id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireOwnPair(admin, alice.id, bob.id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireOwnPair(null, alice.id, bob.id)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('a conversations list is its owner’s only', async () => {
    const { alice, admin } = await aClass();
    expect(requireOwnConversations(alice, undefined).id).toBe(alice.id);
    expect(requireOwnConversations(alice, alice.id).id).toBe(alice.id);
    expect(() => requireOwnConversations(admin, alice.id)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireOwnConversations(null, undefined)).toThrow(expect.objectContaining({ status: 401 }));
  });
});
