/**
 * Contract, LTI 1.3 registrations and launches: platform registrations unique per (issuer,
 * client id), the tool's keys, launch states and nonces that are single use even when launches
 * race, and the links from LMS users to ClassCast users.
 *
 * The database is shared with every other part (and, on Postgres, earlier runs): global lists
 * (platforms, keys) are never assumed empty; each test looks for the rows it made.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from '../errors';
import { newId } from '../ids';
import type { LtiPlatform, LtiToolKey, Repositories } from '../repository';
import { drain } from './community-world';
import { aUser } from './repository-contract';
import { aKey, aPlatform, anIssuer, inMinutes, MINUTE_MS, MISSING_ID } from './lti-builders';

export function describeLtiRegistrationsContract(getRepos: () => Repositories) {
  const lti = () => getRepos().lti;

  describe('lti: registrations and launches', () => {
    describe('platforms', () => {
      it('creates a registration and finds it by id, by (issuer, client id) and by issuer', async () => {
        const input = aPlatform();
        const created = await lti().createPlatform(input);
        expect(created.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(created).toMatchObject(input);
        expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
        expect(created.updatedAt).toBe(created.createdAt);
        expect(await lti().getPlatform(created.id)).toEqual(created);
        expect(await lti().findPlatform(input.issuer, input.clientId)).toEqual(created);
        expect(await lti().listPlatformsByIssuer(input.issuer)).toEqual([created]);
        expect(await lti().getPlatform(MISSING_ID)).toBeNull();
        expect(await lti().findPlatform(input.issuer, 'another-client')).toBeNull();
        expect(await lti().listPlatformsByIssuer(anIssuer())).toEqual([]);
      });

      it('refuses a second registration of one (issuer, client id) but allows other client ids', async () => {
        const first = await lti().createPlatform(aPlatform({ name: 'B' }));
        await expect(
          lti().createPlatform(aPlatform({ issuer: first.issuer, clientId: first.clientId, name: 'Copy' })),
        ).rejects.toMatchObject({ name: 'DataConflictError', constraint: 'ltiPlatform' });
        const second = await lti().createPlatform(aPlatform({ issuer: first.issuer, name: 'A' }));
        // By name, then id.
        expect((await lti().listPlatformsByIssuer(first.issuer)).map((p) => p.id)).toEqual([second.id, first.id]);
      });

      it('updates the fields a patch names, refuses a clash, reports a missing registration', async () => {
        const platform = await lti().createPlatform(aPlatform());
        const other = await lti().createPlatform(aPlatform());
        const updated = await lti().updatePlatform(platform.id, {
          name: 'Canvas (district)',
          deploymentIds: ['dep-9'],
          jwksUrl: `${platform.issuer}/keys`,
        });
        expect(updated).toEqual({
          ...platform,
          name: 'Canvas (district)',
          deploymentIds: ['dep-9'],
          jwksUrl: `${platform.issuer}/keys`,
          updatedAt: updated.updatedAt,
        });
        expect(updated.updatedAt >= platform.updatedAt).toBe(true);
        expect(await lti().getPlatform(platform.id)).toEqual(updated);

        await expect(
          lti().updatePlatform(platform.id, { issuer: other.issuer, clientId: other.clientId }),
        ).rejects.toMatchObject({ name: 'DataConflictError', constraint: 'ltiPlatform' });
        expect(await lti().getPlatform(platform.id)).toEqual(updated);
        expect(await lti().findPlatform(other.issuer, other.clientId)).toEqual(other);

        await expect(lti().updatePlatform(MISSING_ID, { name: 'x' })).rejects.toBeInstanceOf(DataNotFoundError);
      });

      it('moves a registration to a new (issuer, client id), freeing the old one', async () => {
        const platform = await lti().createPlatform(aPlatform());
        const moved = await lti().updatePlatform(platform.id, { issuer: anIssuer(), clientId: 'moved' });
        expect(await lti().findPlatform(moved.issuer, 'moved')).toEqual(moved);
        expect(await lti().findPlatform(platform.issuer, platform.clientId)).toBeNull();
        expect(await lti().listPlatformsByIssuer(platform.issuer)).toEqual([]);
        const again = await lti().createPlatform(aPlatform({ issuer: platform.issuer, clientId: platform.clientId }));
        expect(await lti().findPlatform(platform.issuer, platform.clientId)).toEqual(again);
      });

      it('deletes a registration (idempotent), freeing its (issuer, client id)', async () => {
        const platform = await lti().createPlatform(aPlatform());
        await lti().deletePlatform(platform.id);
        await lti().deletePlatform(platform.id);
        await lti().deletePlatform(MISSING_ID);
        expect(await lti().getPlatform(platform.id)).toBeNull();
        expect(await lti().findPlatform(platform.issuer, platform.clientId)).toBeNull();
        expect(await lti().listPlatformsByIssuer(platform.issuer)).toEqual([]);
        const again = await lti().createPlatform(aPlatform({ issuer: platform.issuer, clientId: platform.clientId }));
        expect(again.id).not.toBe(platform.id);
      });

      it('pages through every registration by name then id, each once', async () => {
        const tag = randomUUID().slice(0, 8);
        const names = [`Lti ${tag} c`, `Lti ${tag} a`, `Lti ${tag} b`, `Lti ${tag} a`, `Lti ${tag} d`];
        const mine: LtiPlatform[] = [];
        for (const name of names) mine.push(await lti().createPlatform(aPlatform({ name })));
        const pages: number[] = [];
        const all = await drain(async (cursor) => {
          const page = await lti().listPlatforms({ limit: 2, cursor });
          pages.push(page.items.length);
          return page;
        }, 10_000);
        expect(pages.every((n) => n <= 2)).toBe(true);
        expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
        const expected = [...mine].sort((a, b) =>
          a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1,
        );
        const seen = all.filter((p) => mine.some((m) => m.id === p.id));
        expect(seen).toEqual(expected);
        await expect(lti().listPlatforms({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('tool keys', () => {
      it('adds keys, lists them oldest first, retires and deletes them', async () => {
        const older = aKey(new Date(Date.now() - 2 * MINUTE_MS).toISOString());
        const newer = aKey(new Date(Date.now() - MINUTE_MS).toISOString(), { signsFrom: inMinutes(5) });
        expect(await lti().addKey(newer)).toEqual(newer);
        expect(await lti().addKey(older)).toEqual(older);
        const mine = (keys: LtiToolKey[]) => keys.filter((k) => k.kid === older.kid || k.kid === newer.kid);
        expect(mine(await lti().listKeys())).toEqual([older, newer]);

        const retiresAt = inMinutes(60);
        expect(await lti().setKeyRetiresAt(older.kid, retiresAt)).toEqual({ ...older, retiresAt });
        expect(mine(await lti().listKeys())).toEqual([{ ...older, retiresAt }, newer]);

        await lti().deleteKey(older.kid);
        await lti().deleteKey(older.kid);
        expect(mine(await lti().listKeys())).toEqual([newer]);
        await lti().deleteKey(newer.kid);
      });

      it('refuses a kid that exists and reports a missing one', async () => {
        const key = aKey(new Date().toISOString());
        await lti().addKey(key);
        await expect(lti().addKey({ ...key, sealedPrivateKey: 'other' })).rejects.toMatchObject({
          name: 'DataConflictError',
          constraint: 'ltiKey',
        });
        expect((await lti().listKeys()).find((k) => k.kid === key.kid)).toEqual(key);
        await expect(lti().setKeyRetiresAt(`kid-${randomUUID()}`, inMinutes(1))).rejects.toBeInstanceOf(
          DataNotFoundError,
        );
        await lti().deleteKey(key.kid);
      });
    });

    describe('launch states', () => {
      const aState = (expiresAt = inMinutes(10)) => ({
        state: `state-${randomUUID()}`,
        nonce: `nonce-${randomUUID()}`,
        platformId: newId(),
        targetLinkUri: 'https://classcast.example.test/lti/launch?x=1#y',
        loginHint: 'hint#1',
        expiresAt,
      });

      it('gives a saved state back once, then never again', async () => {
        const input = aState();
        const saved = await lti().saveLaunchState(input);
        expect(saved).toEqual({ ...input, createdAt: saved.createdAt });
        expect(new Date(saved.createdAt).toISOString()).toBe(saved.createdAt);
        expect(await lti().consumeLaunchState(input.state)).toEqual(saved);
        expect(await lti().consumeLaunchState(input.state)).toBeNull();
        expect(await lti().consumeLaunchState(`state-${randomUUID()}`)).toBeNull();
      });

      it('gives an expired state to nobody', async () => {
        const input = aState(new Date(Date.now() - 1000).toISOString());
        await lti().saveLaunchState(input);
        expect(await lti().consumeLaunchState(input.state)).toBeNull();
        expect(await lti().consumeLaunchState(input.state)).toBeNull();
      });

      it('lets exactly one of five racing launches consume a state', async () => {
        const input = aState();
        await lti().saveLaunchState(input);
        const results = await Promise.all(Array.from({ length: 5 }, () => lti().consumeLaunchState(input.state)));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        expect(results.find((r) => r !== null)).toMatchObject({ state: input.state, nonce: input.nonce });
      });

      it('keeps live states while expired ones are cleared away', async () => {
        const expired = await Promise.all(
          Array.from({ length: 3 }, () => lti().saveLaunchState(aState(new Date(Date.now() - 1000).toISOString()))),
        );
        const live = aState();
        await lti().saveLaunchState(live);
        for (const s of expired) expect(await lti().consumeLaunchState(s.state)).toBeNull();
        expect(await lti().consumeLaunchState(live.state)).toMatchObject({ state: live.state });
      });
    });

    describe('nonces', () => {
      it('accepts a nonce once per issuer', async () => {
        const issuer = anIssuer();
        const nonce = `n#${randomUUID()}`;
        expect(await lti().useNonce(issuer, nonce, inMinutes(10))).toBe(true);
        expect(await lti().useNonce(issuer, nonce, inMinutes(10))).toBe(false);
        expect(await lti().useNonce(anIssuer(), nonce, inMinutes(10))).toBe(true);
        expect(await lti().useNonce(issuer, `n#${randomUUID()}`, inMinutes(10))).toBe(true);
      });

      it('lets exactly one of five racing launches use a nonce', async () => {
        const issuer = anIssuer();
        const nonce = randomUUID();
        const results = await Promise.all(
          Array.from({ length: 5 }, () => lti().useNonce(issuer, nonce, inMinutes(10))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await lti().useNonce(issuer, nonce, inMinutes(10))).toBe(false);
      });

      it('forgets a nonce once it expired', async () => {
        const issuer = anIssuer();
        const nonce = randomUUID();
        expect(await lti().useNonce(issuer, nonce, new Date(Date.now() - 1000).toISOString())).toBe(true);
        expect(await lti().useNonce(issuer, nonce, inMinutes(10))).toBe(true);
        expect(await lti().useNonce(issuer, nonce, inMinutes(10))).toBe(false);
      });
    });

    describe('user links', () => {
      it('links an LMS account to one user; relinking the same user changes nothing', async () => {
        const user = await getRepos().users.create(aUser());
        const issuer = anIssuer();
        const subject = `sub#${randomUUID()}`;
        expect(await lti().findUserLink(issuer, subject)).toBeNull();
        await lti().linkUser(issuer, subject, user.id);
        await lti().linkUser(issuer, subject, user.id);
        expect(await lti().findUserLink(issuer, subject)).toBe(user.id);
        expect(await lti().findUserLink(anIssuer(), subject)).toBeNull();
        // One user may launch from several platforms.
        const elsewhere = anIssuer();
        await lti().linkUser(elsewhere, 'other-sub', user.id);
        expect(await lti().findUserLink(elsewhere, 'other-sub')).toBe(user.id);
      });

      it('finds the subject a user launches as on an issuer (the latest link there)', async () => {
        const [user, other] = await Promise.all([getRepos().users.create(aUser()), getRepos().users.create(aUser())]);
        const [issuer, elsewhere] = [anIssuer(), anIssuer()];
        expect(await lti().findUserSubject(issuer, user.id)).toBeNull();
        await lti().linkUser(issuer, 'sub#1', user.id);
        await lti().linkUser(elsewhere, 'sub#2', user.id);
        await lti().linkUser(issuer, 'sub#3', other.id);
        expect(await lti().findUserSubject(issuer, user.id)).toBe('sub#1');
        expect(await lti().findUserSubject(elsewhere, user.id)).toBe('sub#2');
        expect(await lti().findUserSubject(issuer, other.id)).toBe('sub#3');
        expect(await lti().findUserSubject(elsewhere, other.id)).toBeNull();
        await new Promise((r) => setTimeout(r, 5));
        await lti().linkUser(issuer, 'sub#4', user.id);
        expect(await lti().findUserSubject(issuer, user.id)).toBe('sub#4');
        // A failed (clashing) link leaves the reverse lookup as it was.
        await expect(lti().linkUser(issuer, 'sub#3', user.id)).rejects.toBeInstanceOf(DataConflictError);
        expect(await lti().findUserSubject(issuer, user.id)).toBe('sub#4');
        expect(await lti().findUserSubject(issuer, other.id)).toBe('sub#3');
      });

      it('never moves a link to another user, and reports a missing user', async () => {
        const [holder, other] = await Promise.all([getRepos().users.create(aUser()), getRepos().users.create(aUser())]);
        const issuer = anIssuer();
        const subject = randomUUID();
        await lti().linkUser(issuer, subject, holder.id);
        await expect(lti().linkUser(issuer, subject, other.id)).rejects.toMatchObject({
          name: 'DataConflictError',
          constraint: 'ltiUser',
        });
        expect(await lti().findUserLink(issuer, subject)).toBe(holder.id);
        const unlinked = randomUUID();
        await expect(lti().linkUser(issuer, unlinked, MISSING_ID)).rejects.toBeInstanceOf(DataNotFoundError);
        expect(await lti().findUserLink(issuer, unlinked)).toBeNull();
      });

      it('lets one of two users racing for an LMS account win', async () => {
        const [a, b] = await Promise.all([getRepos().users.create(aUser()), getRepos().users.create(aUser())]);
        const issuer = anIssuer();
        const subject = randomUUID();
        const results = await Promise.allSettled([
          lti().linkUser(issuer, subject, a.id),
          lti().linkUser(issuer, subject, b.id),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(DataConflictError);
        expect([a.id, b.id]).toContain(await lti().findUserLink(issuer, subject));
      });
    });
  });
}
