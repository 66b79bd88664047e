/**
 * Contract, LTI 1.3: platform registrations unique per (issuer, client id), the tool's keys,
 * launch states and nonces that are single use even when launches race, the links from LMS
 * users / contexts / resource links to ClassCast, the LMS roster, where each grade's trip to
 * the LMS stands — and grades that queue their `ltiScore` outbox entry in their transaction.
 *
 * The database is shared with every other part (and, on Postgres, earlier runs): global lists
 * (platforms, keys) are never assumed empty; each test looks for the rows it made.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from '../errors';
import { newId } from '../ids';
import type {
  LtiPlatform,
  LtiToolKey,
  NewLtiContext,
  NewLtiPlatform,
  NewLtiResourceLink,
  OutboxEntry,
  Repositories,
  User,
} from '../repository';
import { notificationFor } from './builders';
import { aCommunity, aVideo, drain } from './community-world';
import { aUser } from './repository-contract';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC3';
const MINUTE_MS = 60_000;
const LONG_LEASE_MS = 60_000;
const MAX_ROUNDS = 400;

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE_MS).toISOString();
/** Issuers are URLs; the `#` and `/` in them must not confuse a key built from them. */
const anIssuer = () => `https://lms-${randomUUID().slice(0, 8)}.example.test/a#b`;

function aPlatform(overrides: Partial<NewLtiPlatform> = {}): NewLtiPlatform {
  const issuer = overrides.issuer ?? anIssuer();
  return {
    name: 'Canvas',
    issuer,
    clientId: `client-${randomUUID()}`,
    deploymentIds: ['dep-1', 'dep#2'],
    authUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    ...overrides,
  };
}

function aKey(createdAt: string, overrides: Partial<LtiToolKey> = {}): LtiToolKey {
  const kid = `kid-${randomUUID()}`;
  return {
    kid,
    publicJwk: JSON.stringify({ kty: 'RSA', kid, n: 'abc', e: 'AQAB', alg: 'RS256', use: 'sig' }),
    sealedPrivateKey: `sealed:${kid}`,
    signsFrom: createdAt,
    retiresAt: null,
    createdAt,
    ...overrides,
  };
}

export function describeLtiContract(getRepos: () => Repositories) {
  const lti = () => getRepos().lti;

  function aContext(courseId: string, overrides: Partial<NewLtiContext> = {}): NewLtiContext {
    return {
      issuer: anIssuer(),
      contextId: `ctx#${randomUUID()}`,
      platformId: newId(),
      deploymentId: 'dep-1',
      courseId,
      title: 'Biology 101',
      membershipsUrl: 'https://lms.example.test/api/memberships',
      lineItemsUrl: 'https://lms.example.test/api/lineitems',
      ...overrides,
    };
  }

  function aResourceLink(courseId: string, overrides: Partial<NewLtiResourceLink> = {}): NewLtiResourceLink {
    return {
      issuer: anIssuer(),
      resourceLinkId: `rl#${randomUUID()}`,
      platformId: newId(),
      courseId,
      assignmentId: null,
      lineItemUrl: null,
      scopes: [],
      ...overrides,
    };
  }

  /** Claims until `want` entries matching `mine` were seen (or nothing is due), completing the rest. */
  async function claimOurs(mine: (entry: OutboxEntry) => boolean, want: number): Promise<OutboxEntry[]> {
    const ours: OutboxEntry[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = await getRepos().outbox.claimDue(100, LONG_LEASE_MS);
      for (const entry of batch) {
        if (mine(entry)) ours.push(entry);
        else await getRepos().outbox.complete(entry.id);
      }
      if (ours.length >= want || batch.length === 0) return ours;
    }
    throw new Error(`outbox still had due entries after ${MAX_ROUNDS} claims`);
  }

  describe('lti', () => {
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

    describe('contexts', () => {
      it('binds a context to a course, found both ways, and updates its title and URLs', async () => {
        const courseId = newId();
        const input = aContext(courseId);
        const saved = await lti().saveContext(input);
        expect(saved).toEqual({ ...input, createdAt: saved.createdAt, updatedAt: saved.createdAt });
        expect(await lti().findContext(input.issuer, input.contextId)).toEqual(saved);
        expect(await lti().findContextByCourse(courseId)).toEqual(saved);

        const changes = { title: 'Biology 102', membershipsUrl: null, lineItemsUrl: 'https://lms.example.test/li2' };
        const updated = await lti().saveContext({ ...input, ...changes });
        expect(updated).toEqual({ ...saved, ...changes, updatedAt: updated.updatedAt });
        expect(updated.updatedAt >= saved.updatedAt).toBe(true);
        expect(await lti().findContext(input.issuer, input.contextId)).toEqual(updated);
        expect(await lti().findContextByCourse(courseId)).toEqual(updated);
      });

      it('never moves a context to another course', async () => {
        const input = aContext(newId());
        const saved = await lti().saveContext(input);
        await expect(lti().saveContext({ ...input, courseId: newId(), title: 'Moved' })).rejects.toMatchObject({
          name: 'DataConflictError',
          constraint: 'ltiContext',
        });
        expect(await lti().findContext(input.issuer, input.contextId)).toEqual(saved);
      });

      it('finds nothing for an unknown context or a course made in ClassCast', async () => {
        expect(await lti().findContext(anIssuer(), 'nope')).toBeNull();
        expect(await lti().findContextByCourse(newId())).toBeNull();
      });

      it('lets the same context id of two issuers stand for two courses', async () => {
        const contextId = randomUUID();
        const [a, b] = [aContext(newId(), { contextId }), aContext(newId(), { contextId })];
        await lti().saveContext(a);
        await lti().saveContext(b);
        expect((await lti().findContext(a.issuer, contextId))?.courseId).toBe(a.courseId);
        expect((await lti().findContext(b.issuer, contextId))?.courseId).toBe(b.courseId);
        expect((await lti().findContextByCourse(b.courseId))?.issuer).toBe(b.issuer);
      });
    });

    describe('resource links', () => {
      it('saves a link, finds it, and updates its assignment, line item and scopes', async () => {
        const courseId = newId();
        const input = aResourceLink(courseId);
        const saved = await lti().saveResourceLink(input);
        expect(saved).toEqual({ ...input, createdAt: saved.createdAt, updatedAt: saved.createdAt });
        expect(await lti().findResourceLink(input.issuer, input.resourceLinkId)).toEqual(saved);
        expect(await lti().findResourceLink(input.issuer, 'other')).toBeNull();

        const assignmentId = newId();
        const changes = {
          assignmentId,
          lineItemUrl: 'https://lms.example.test/lineitems/7',
          scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
        };
        const updated = await lti().saveResourceLink({ ...input, ...changes });
        expect(updated).toEqual({ ...saved, ...changes, updatedAt: updated.updatedAt });
        expect(await lti().findResourceLink(input.issuer, input.resourceLinkId)).toEqual(updated);
        expect(await lti().listResourceLinksByAssignment(assignmentId)).toEqual([updated]);
      });

      it('lists the links that open an assignment, oldest first, and only while they do', async () => {
        const courseId = newId();
        const assignmentId = newId();
        const first = await lti().saveResourceLink(
          aResourceLink(courseId, { assignmentId, lineItemUrl: 'https://a/1' }),
        );
        const second = await lti().saveResourceLink(
          aResourceLink(courseId, { assignmentId, lineItemUrl: 'https://b/2' }),
        );
        await lti().saveResourceLink(aResourceLink(courseId, { assignmentId: newId() }));
        await lti().saveResourceLink(aResourceLink(courseId));
        const listed = await lti().listResourceLinksByAssignment(assignmentId);
        expect(listed.map((l) => l.resourceLinkId)).toEqual([first.resourceLinkId, second.resourceLinkId]);

        // Re-pointed at another assignment (a deep link redone): it leaves this list.
        await lti().saveResourceLink({ ...second, assignmentId: newId() });
        expect(await lti().listResourceLinksByAssignment(assignmentId)).toEqual([first]);
        await lti().saveResourceLink({ ...first, assignmentId: null });
        expect(await lti().listResourceLinksByAssignment(assignmentId)).toEqual([]);
        expect(await lti().listResourceLinksByAssignment(newId())).toEqual([]);
      });
    });

    describe('memberships', () => {
      it('saves and updates members, listed in user id order across pages', async () => {
        const courseId = newId();
        const userIds = Array.from({ length: 5 }, () => newId()).reverse();
        for (const userId of userIds) {
          const saved = await lti().saveMembership({ courseId, userId, roles: ['Learner'], active: true });
          expect(saved).toEqual({ courseId, userId, roles: ['Learner'], active: true, updatedAt: saved.updatedAt });
        }
        await lti().saveMembership({ courseId: newId(), userId: userIds[0]!, roles: [], active: true });
        const dropped = await lti().saveMembership({
          courseId,
          userId: userIds[2]!,
          roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor', 'Learner'],
          active: false,
        });

        const pages: number[] = [];
        const all = await drain(async (cursor) => {
          const page = await lti().listMemberships(courseId, { limit: 2, cursor });
          pages.push(page.items.length);
          return page;
        });
        expect(pages).toEqual([2, 2, 1]);
        expect(all.map((m) => m.userId)).toEqual([...userIds].sort());
        expect(all.find((m) => m.userId === userIds[2])).toEqual(dropped);
        expect(all.every((m) => m.courseId === courseId)).toBe(true);
        expect((await lti().listMemberships(newId())).items).toEqual([]);
      });

      it('rejects a cursor from another course', async () => {
        const courseId = newId();
        for (let i = 0; i < 3; i++) await lti().saveMembership({ courseId, userId: newId(), roles: [], active: true });
        const { nextCursor } = await lti().listMemberships(courseId, { limit: 1 });
        expect(nextCursor).not.toBeNull();
        await expect(lti().listMemberships(newId(), { cursor: nextCursor })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('score statuses', () => {
      it('creates, replaces and reads statuses, one or many', async () => {
        const [a, b] = [newId(), newId()];
        const pending = await lti().saveScoreStatus({
          submissionId: a,
          state: 'pending',
          scoreGiven: 8.5,
          attempts: 0,
          lastError: null,
          sentAt: null,
        });
        expect(pending).toMatchObject({ submissionId: a, state: 'pending', scoreGiven: 8.5, attempts: 0 });
        expect(await lti().getScoreStatus(a)).toEqual(pending);

        const retrying = await lti().saveScoreStatus({
          ...pending,
          state: 'retrying',
          attempts: 2,
          lastError: 'The LMS did not answer',
        });
        expect(retrying).toEqual({
          ...pending,
          state: 'retrying',
          attempts: 2,
          lastError: 'The LMS did not answer',
          updatedAt: retrying.updatedAt,
        });
        const sentAt = new Date().toISOString();
        const sent = await lti().saveScoreStatus({
          submissionId: b,
          state: 'sent',
          scoreGiven: null,
          attempts: 1,
          lastError: null,
          sentAt,
        });
        expect(sent.sentAt).toBe(sentAt);

        const many = await lti().getScoreStatuses([a, MISSING_ID, b]);
        expect([...many].sort((x, y) => (x.submissionId < y.submissionId ? -1 : 1))).toEqual([retrying, sent]);
        expect(await lti().getScoreStatuses([])).toEqual([]);
        expect(await lti().getScoreStatus(MISSING_ID)).toBeNull();
      });
    });

    describe('beside the course’s own rows', () => {
      it('leaves the roster, the course and its lists as they were', async () => {
        const world = await aCommunity(getRepos(), 1);
        const [alice] = world.students as [User];
        const video = await aVideo(getRepos(), world, alice);
        const { course, assignment } = world;
        const before = {
          roster: await getRepos().enrollments.listByCourse(course.id),
          students: await getRepos().enrollments.countByCourse(course.id, 'student'),
          course: await getRepos().courses.getById(course.id),
          assignments: await getRepos().assignments.listByCourse(course.id, { includeDrafts: true }),
          submissions: await getRepos().submissions.listByCourse(course.id),
          mine: await getRepos().enrollments.listByUser(alice.id),
        };
        await lti().saveContext(aContext(course.id));
        await lti().saveMembership({ courseId: course.id, userId: alice.id, roles: ['Learner'], active: true });
        await lti().saveMembership({ courseId: course.id, userId: newId(), roles: ['Learner'], active: false });
        await lti().saveResourceLink(aResourceLink(course.id, { assignmentId: assignment.id }));
        await lti().saveScoreStatus({
          submissionId: video.id,
          state: 'pending',
          scoreGiven: 5,
          attempts: 0,
          lastError: null,
          sentAt: null,
        });
        expect(await getRepos().enrollments.listByCourse(course.id)).toEqual(before.roster);
        expect(await getRepos().enrollments.countByCourse(course.id, 'student')).toBe(before.students);
        expect(await getRepos().courses.getById(course.id)).toEqual(before.course);
        expect(await getRepos().assignments.listByCourse(course.id, { includeDrafts: true })).toEqual(
          before.assignments,
        );
        expect(await getRepos().submissions.listByCourse(course.id)).toEqual(before.submissions);
        expect(await getRepos().submissions.getById(video.id)).toEqual(before.submissions.items[0]);
        expect(await getRepos().enrollments.listByUser(alice.id)).toEqual(before.mine);
        expect((await lti().listMemberships(course.id)).items).toHaveLength(2);
      });
    });

    describe('grades queue their trip to the LMS', () => {
      it('writes the alsoQueue entries in the grade’s transaction, claimable with their event', async () => {
        const world = await aCommunity(getRepos(), 1);
        const [alice] = world.students as [User];
        const video = await aVideo(getRepos(), world, alice);
        const graded = await getRepos().submissions.grade({
          submissionId: video.id,
          grade: 7,
          feedback: 'Good',
          gradedBy: world.teacher.id,
          notification: notificationFor(alice, world.teacher, 'grade', video.id),
          alsoQueue: [{ topic: 'ltiScore', submissionId: video.id }],
        });
        expect(graded).toMatchObject({ id: video.id, grade: 7, status: 'graded' });
        const ours = await claimOurs(
          ({ event }) =>
            (event.topic === 'ltiScore' && event.submissionId === video.id) ||
            (event.topic === 'notification' && event.recipientId === alice.id),
          2,
        );
        expect(ours.map((e) => e.event.topic).sort()).toEqual(['ltiScore', 'notification']);
        expect(ours.find((e) => e.event.topic === 'ltiScore')).toMatchObject({
          event: { topic: 'ltiScore', submissionId: video.id },
          attempts: 0,
          lastError: null,
        });
        for (const entry of ours) await getRepos().outbox.complete(entry.id);
      });

      it('queues nothing when the grade fails (missing submission)', async () => {
        const world = await aCommunity(getRepos(), 1);
        const [alice] = world.students as [User];
        const missing = newId();
        await expect(
          getRepos().submissions.grade({
            submissionId: missing,
            grade: 1,
            feedback: '',
            gradedBy: world.teacher.id,
            notification: notificationFor(alice, world.teacher, 'grade', missing),
            alsoQueue: [{ topic: 'ltiScore', submissionId: missing }],
          }),
        ).rejects.toBeInstanceOf(DataNotFoundError);
        const leaked = await claimOurs(
          ({ event }) =>
            (event.topic === 'ltiScore' && event.submissionId === missing) ||
            (event.topic === 'notification' && event.recipientId === alice.id),
          1,
        );
        expect(leaked).toEqual([]);
      });
    });
  });
}
