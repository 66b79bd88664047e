import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '~/data/errors';
import { connectionIdFor } from '~/data/repository';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  acceptConnection,
  connectionsOverview,
  endConnection,
  getConnection,
  listConnections,
  requestConnection,
  suggestConnections,
} from './connections.server';

const world = setupServiceContext();
const { aUser, aCourse, aClass } = builders(world);

async function notificationsOf(userId: string) {
  return (await world.ctx.repos.notifications.listByRecipient(userId)).items;
}

describe('requestConnection', () => {
  it('sends a pending request to a classmate and notifies them, whatever status the client claims', async () => {
    const { alice, bob } = await aClass();
    const { connection, created, message } = await requestConnection(world.ctx, alice, {
      requestedId: bob.id,
      status: 'accepted',
    });
    expect(created).toBe(true);
    expect(message).toMatch(/sent/);
    expect(connection).toMatchObject({
      connectionId: connectionIdFor(alice.id, bob.id),
      requesterId: alice.id,
      requestedId: bob.id,
      status: 'pending',
    });
    const notes = await notificationsOf(bob.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      type: 'connection_request',
      senderId: alice.id,
      relatedId: connection.connectionId,
    });
    expect(await notificationsOf(alice.id)).toHaveLength(0);
  });

  it('is idempotent in both directions: the existing pair comes back, nothing new is written', async () => {
    const { alice, bob } = await aClass();
    await requestConnection(world.ctx, alice, { requestedId: bob.id });
    const again = await requestConnection(world.ctx, alice, { requestedId: bob.id });
    expect(again.created).toBe(false);
    expect(again.message).toMatch(/already sent/);
    const crossed = await requestConnection(world.ctx, bob, { requestedId: alice.id });
    expect(crossed.created).toBe(false);
    expect(crossed.connection.requesterId).toBe(alice.id);
    expect(crossed.message).toMatch(/accept their request/);
    expect(await notificationsOf(bob.id)).toHaveLength(1);
    expect(await notificationsOf(alice.id)).toHaveLength(0);
  });

  it('refuses yourself (400), an unknown user (404), a stranger (403) and a missing id (400)', async () => {
    const { alice, outsider } = await aClass();
    await expectStatus(requestConnection(world.ctx, alice, { requestedId: alice.id }), 400);
    await expectStatus(requestConnection(world.ctx, alice, { requestedId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }), 404);
    await expectStatus(requestConnection(world.ctx, alice, { requestedId: outsider.id }), 403);
    await expectStatus(requestConnection(world.ctx, alice, {}), 400);
    await expectStatus(requestConnection(world.ctx, null, { requestedId: outsider.id }), 401);
    expect(await notificationsOf(outsider.id)).toHaveLength(0);
  });

  it('lets an admin connect with anyone', async () => {
    const { admin, outsider } = await aClass();
    const { created } = await requestConnection(world.ctx, admin, { requestedId: outsider.id });
    expect(created).toBe(true);
  });
});

describe('acceptConnection', () => {
  it('only the requested user accepts; the requester is notified; a second accept is 409', async () => {
    const { alice, bob, teacher } = await aClass();
    const { connection } = await requestConnection(world.ctx, alice, { requestedId: bob.id });
    await expectStatus(acceptConnection(world.ctx, alice, connection.connectionId), 403);
    // A third person learns nothing about the pair.
    await expectStatus(acceptConnection(world.ctx, teacher, connection.connectionId), 404);
    const accepted = await acceptConnection(world.ctx, bob, connection.connectionId);
    expect(accepted.status).toBe('accepted');
    const notes = await notificationsOf(alice.id);
    expect(notes.map((n) => n.type)).toEqual(['connection_accepted']);
    expect(notes[0].senderId).toBe(bob.id);
    await expectStatus(acceptConnection(world.ctx, bob, connection.connectionId), 409);
    await expectStatus(acceptConnection(world.ctx, bob, 'nope'), 404);
  });
});

describe('endConnection', () => {
  it('decline is the requested side, cancel the requester, both only while pending', async () => {
    const { alice, bob } = await aClass();
    const { connection } = await requestConnection(world.ctx, alice, { requestedId: bob.id });
    await expectStatus(endConnection(world.ctx, alice, connection.connectionId, 'decline'), 403);
    await expectStatus(endConnection(world.ctx, bob, connection.connectionId, 'cancel'), 403);
    await endConnection(world.ctx, bob, connection.connectionId, 'decline');
    expect(await world.ctx.repos.connections.get(connection.connectionId)).toBeNull();

    const second = await requestConnection(world.ctx, alice, { requestedId: bob.id });
    expect(second.created).toBe(true);
    await endConnection(world.ctx, alice, second.connection.connectionId, 'cancel');
    expect(await world.ctx.repos.connections.get(second.connection.connectionId)).toBeNull();
  });

  it('either side removes an accepted connection; outsiders get 404', async () => {
    const { alice, bob, outsider } = await aClass();
    const { connection } = await requestConnection(world.ctx, alice, { requestedId: bob.id });
    await acceptConnection(world.ctx, bob, connection.connectionId);
    await expectStatus(endConnection(world.ctx, alice, connection.connectionId, 'cancel'), 409);
    await expectStatus(endConnection(world.ctx, outsider, connection.connectionId, 'remove'), 404);
    await expectStatus(getConnection(world.ctx, outsider, connection.connectionId), 404);
    expect((await getConnection(world.ctx, alice, connection.connectionId)).status).toBe('accepted');
    await endConnection(world.ctx, alice, connection.connectionId, 'remove');
    await expectStatus(endConnection(world.ctx, bob, connection.connectionId, 'remove'), 404);
  });
});

describe('listConnections', () => {
  it("lists the caller's own with the other person's summary, never another's (403) unless admin", async () => {
    const { alice, bob, admin } = await aClass();
    const { connection } = await requestConnection(world.ctx, alice, { requestedId: bob.id });
    const mine = await listConnections(world.ctx, bob, {});
    expect(mine.connections).toHaveLength(1);
    expect(mine.connections[0]).toMatchObject({ connectionId: connection.connectionId, status: 'pending' });
    expect(mine.connections[0].otherUser).toEqual({
      id: alice.id,
      name: `${alice.firstName} ${alice.lastName}`,
      avatar: null,
      role: 'student',
    });
    expect(JSON.stringify(mine)).not.toContain(alice.email);
    await expectStatus(listConnections(world.ctx, bob, { userId: alice.id }), 403);
    expect((await listConnections(world.ctx, admin, { userId: alice.id })).connections).toHaveLength(1);
    expect((await listConnections(world.ctx, bob, { status: 'accepted' })).connections).toHaveLength(0);
    await expectStatus(listConnections(world.ctx, bob, { status: 'blocked' }), 400);
    // The API maps this to 400 INVALID_CURSOR.
    await expect(listConnections(world.ctx, bob, {}, { cursor: 'garbage!' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});

describe('suggestions and the overview', () => {
  it('suggests classmates with no connection either way, and sorts requests by direction', async () => {
    const teacher = await aUser('instructor');
    const me = await aUser('student');
    const [asked, asker, buddy, free] = await Promise.all([1, 2, 3, 4].map(() => aUser('student')));
    const stranger = await aUser('student');
    await aCourse(teacher, [me, asked, asker, buddy, free]);
    await aCourse(teacher, [stranger]);
    await requestConnection(world.ctx, me, { requestedId: asked.id });
    await requestConnection(world.ctx, asker, { requestedId: me.id });
    const { connection } = await requestConnection(world.ctx, buddy, { requestedId: me.id });
    await acceptConnection(world.ctx, me, connection.connectionId);

    const suggestions = await suggestConnections(world.ctx, me);
    expect(suggestions.map((s) => s.id)).toEqual([free.id]);

    const overview = await connectionsOverview(world.ctx, me);
    expect(overview.outgoing.map((c) => c.otherUser?.id)).toEqual([asked.id]);
    expect(overview.incoming.map((c) => c.otherUser?.id)).toEqual([asker.id]);
    expect(overview.buddies.map((c) => c.otherUser?.id)).toEqual([buddy.id]);
    expect(overview.suggestions.map((s) => s.id)).toEqual([free.id]);
  });
});
