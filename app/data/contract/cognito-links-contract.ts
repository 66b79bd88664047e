/**
 * Contract, Cognito links: a user row can carry the Cognito `sub` it signs in with, found by
 * that sub, and one sub belongs to one user only, whether it is set at creation or linked later.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError } from '../errors';
import type { Repositories } from '../repository';
import { aUser } from './repository-contract';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC3';

export function describeCognitoLinksContract(getRepos: () => Repositories) {
  describe('cognito links', () => {
    it('creates a user with a Cognito sub and finds it by that sub', async () => {
      const repos = getRepos();
      const sub = randomUUID();
      const created = await repos.users.create(aUser({ passwordHash: null, cognitoSub: sub, emailVerified: true }));
      expect(created).toMatchObject({ cognitoSub: sub, passwordHash: null, emailVerified: true });
      expect(await repos.users.getByCognitoSub(sub)).toEqual(created);
      expect(await repos.users.getById(created.id)).toEqual(created);
    });

    it('leaves local users unlinked and finds nobody for an unknown sub', async () => {
      const repos = getRepos();
      const local = await repos.users.create(aUser());
      expect(local.cognitoSub).toBeNull();
      expect(await repos.users.getByCognitoSub(randomUUID())).toBeNull();
    });

    it('refuses a second user with a sub that is taken, and keeps no half of it', async () => {
      const repos = getRepos();
      const sub = randomUUID();
      const first = await repos.users.create(aUser({ cognitoSub: sub }));
      const second = aUser({ cognitoSub: sub });
      await expect(repos.users.create(second)).rejects.toMatchObject({
        name: 'DataConflictError',
        constraint: 'cognitoSub',
      });
      expect(await repos.users.getByEmail(second.email)).toBeNull();
      expect((await repos.users.getByCognitoSub(sub))?.id).toBe(first.id);
    });

    it('links an existing user once; relinking the same sub changes nothing', async () => {
      const repos = getRepos();
      const sub = randomUUID();
      const user = await repos.users.create(aUser());
      const linked = await repos.users.linkCognitoSub(user.id, sub);
      expect(linked).toMatchObject({ id: user.id, cognitoSub: sub, email: user.email });
      expect(await repos.users.getByCognitoSub(sub)).toEqual(linked);
      expect(await repos.users.getById(user.id)).toEqual(linked);
      expect((await repos.users.linkCognitoSub(user.id, sub)).cognitoSub).toBe(sub);
    });

    it('never moves a link: a sub held by another user, or a user linked to another sub', async () => {
      const repos = getRepos();
      const sub = randomUUID();
      const holder = await repos.users.create(aUser({ cognitoSub: sub }));
      const other = await repos.users.create(aUser());
      await expect(repos.users.linkCognitoSub(other.id, sub)).rejects.toBeInstanceOf(DataConflictError);
      expect((await repos.users.getById(other.id))?.cognitoSub).toBeNull();
      await expect(repos.users.linkCognitoSub(holder.id, randomUUID())).rejects.toBeInstanceOf(DataConflictError);
      expect((await repos.users.getByCognitoSub(sub))?.id).toBe(holder.id);
    });

    it('lets one of two users racing for one sub win', async () => {
      const repos = getRepos();
      const sub = randomUUID();
      const [a, b] = await Promise.all([repos.users.create(aUser()), repos.users.create(aUser())]);
      const results = await Promise.allSettled([
        repos.users.linkCognitoSub(a.id, sub),
        repos.users.linkCognitoSub(b.id, sub),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = await repos.users.getByCognitoSub(sub);
      expect([a.id, b.id]).toContain(winner?.id);
    });

    it('reports a missing user', async () => {
      await expect(getRepos().users.linkCognitoSub(MISSING_ID, randomUUID())).rejects.toBeInstanceOf(DataNotFoundError);
    });
  });
}
