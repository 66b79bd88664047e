/**
 * Contract, study-buddy connections: one row per pair whoever asks, idempotent requests in
 * both directions, a conditional accept, and a user's list on both sides.
 */
import { describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from '../errors';
import { connectionIdFor, type Repositories, type User } from '../repository';
import { notificationFor } from './builders';
import { drain, newestFirst } from './community-world';
import { aUser } from './repository-contract';

export function describeConnectionsContract(getRepos: () => Repositories) {
  const repos = () => getRepos();
  const people = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => repos().users.create(aUser({ firstName: `Buddy${i}` }))));
  const inbox = async (user: User) => (await repos().notifications.listByRecipient(user.id)).items;
  const ask = (from: User, to: User) =>
    repos().connections.request({
      requesterId: from.id,
      requestedId: to.id,
      notification: notificationFor(to, from, 'connection_request'),
    });

  describe('connections', () => {
    it('a request makes one pending row named by the sorted pair, with a notification', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const { connection, created } = await ask(ann, ben);
      expect(created).toBe(true);
      expect(connection).toMatchObject({
        connectionId: connectionIdFor(ann.id, ben.id),
        requesterId: ann.id,
        requestedId: ben.id,
        status: 'pending',
      });
      expect(connection.connectionId).toBe([ann.id, ben.id].sort().join('_'));
      expect(connection.createdAt).toBe(connection.updatedAt);
      expect(await repos().connections.get(connection.connectionId)).toEqual(connection);
      expect((await inbox(ben)).map((n) => [n.type, n.senderId])).toEqual([['connection_request', ann.id]]);
    });

    it('asking again, or the other person asking, returns the existing row and writes nothing', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const first = await ask(ann, ben);
      const again = await ask(ann, ben);
      expect(again).toEqual({ connection: first.connection, created: false });
      const reverse = await ask(ben, ann);
      expect(reverse).toEqual({ connection: first.connection, created: false });
      expect(await inbox(ben)).toHaveLength(1);
      expect(await inbox(ann)).toEqual([]);
    });

    it('concurrent requests from both sides make exactly one row', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const results = await Promise.all([ask(ann, ben), ask(ben, ann), ask(ann, ben), ask(ben, ann)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => JSON.stringify(r.connection))).size).toBe(1);
      expect((await inbox(ann)).length + (await inbox(ben)).length).toBe(1);
    });

    it('accept moves pending to accepted once; a second accept is a status conflict', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const { connection } = await ask(ann, ben);
      const accepted = await repos().connections.accept(
        connection.connectionId,
        notificationFor(ann, ben, 'connection_accepted'),
      );
      expect(accepted).toMatchObject({ ...connection, status: 'accepted', updatedAt: accepted.updatedAt });
      expect(accepted.updatedAt >= connection.updatedAt).toBe(true);
      expect(await repos().connections.get(connection.connectionId)).toEqual(accepted);
      expect((await inbox(ann)).map((n) => n.type)).toEqual(['connection_accepted']);

      const second = repos().connections.accept(
        connection.connectionId,
        notificationFor(ann, ben, 'connection_accepted'),
      );
      await expect(second).rejects.toBeInstanceOf(DataConflictError);
      await expect(second).rejects.toMatchObject({ constraint: 'status' });
      expect(await inbox(ann)).toHaveLength(1);
      // An accepted pair is also returned as it is when asked again.
      expect(await ask(ben, ann)).toEqual({ connection: accepted, created: false });
    });

    it('missing ids: get → null, accept and remove → DataNotFoundError', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const id = connectionIdFor(ann.id, ben.id);
      expect(await repos().connections.get(id)).toBeNull();
      await expect(repos().connections.accept(id, null)).rejects.toBeInstanceOf(DataNotFoundError);
      await expect(repos().connections.remove(id)).rejects.toBeInstanceOf(DataNotFoundError);
      expect(await repos().connections.getMany([id])).toEqual([]);
    });

    it('remove deletes the pair, which can then be asked for afresh', async () => {
      const [ann, ben] = (await people(2)) as [User, User];
      const { connection } = await ask(ann, ben);
      await repos().connections.remove(connection.connectionId);
      expect(await repos().connections.get(connection.connectionId)).toBeNull();
      const renewed = await ask(ben, ann);
      expect(renewed.created).toBe(true);
      expect(renewed.connection).toMatchObject({ requesterId: ben.id, requestedId: ann.id, status: 'pending' });
    });

    it("lists a user's connections on both sides, most recently updated first, by status, across pages", async () => {
      const [me, ...others] = (await people(6)) as [User, ...User[]];
      const rows = [];
      for (const [i, other] of others.entries()) {
        rows.push((await (i % 2 ? ask(me, other) : ask(other, me))).connection);
      }
      const acceptedOne = await repos().connections.accept(rows[0]!.connectionId, null);
      const acceptedTwo = await repos().connections.accept(rows[3]!.connectionId, null);
      const current = [acceptedOne, rows[1]!, rows[2]!, acceptedTwo, rows[4]!];
      const expected = newestFirst(
        current,
        (c) => c.updatedAt,
        (c) => c.connectionId,
      );

      const seen = await drain((cursor) => repos().connections.listByUser(me.id, {}, { limit: 2, cursor }));
      expect(seen).toEqual(expected);
      const accepted = await repos().connections.listByUser(me.id, { status: 'accepted' });
      expect(accepted.items).toEqual(expected.filter((c) => c.status === 'accepted'));
      const pending = await drain((cursor) =>
        repos().connections.listByUser(me.id, { status: 'pending' }, { limit: 2, cursor }),
      );
      expect(pending.map((c) => c.connectionId).sort()).toEqual(
        [rows[1]!, rows[2]!, rows[4]!].map((c) => c.connectionId).sort(),
      );
      // The other side sees the same row.
      expect((await repos().connections.listByUser(others[0]!.id)).items).toEqual([acceptedOne]);

      const ids = [rows[1]!.connectionId, rows[2]!.connectionId, connectionIdFor(me.id, 'nobody')];
      expect((await repos().connections.getMany(ids)).map((c) => c.connectionId).sort()).toEqual(
        ids.slice(0, 2).sort(),
      );

      const page = await repos().connections.listByUser(me.id, {}, { limit: 2 });
      await expect(
        repos().connections.listByUser(me.id, { status: 'pending' }, { limit: 2, cursor: page.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(
        repos().connections.listByUser(others[1]!.id, {}, { limit: 2, cursor: page.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
