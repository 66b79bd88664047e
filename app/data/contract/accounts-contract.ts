/**
 * Contract, accounts people look after themselves (issue 16): email changes that move the
 * unique address atomically, disabled users and mail preferences, where a user is signed in
 * (devices, last seen, sign out everywhere else), single-use mailed tokens, archived courses
 * and the admin's list of every course, and outbox entries enqueued once per key.
 *
 * The database is shared with every other part (and earlier runs): tests name their own rows,
 * and the outbox tests drain whatever else is due, as the outbox contract does.
 */
import { newId } from '../ids';
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from '../errors';
import {
  DEFAULT_MAIL_PREFERENCES,
  type AccountTokenPurpose,
  type Course,
  type OutboxEntry,
  type OutboxEvent,
  type Repositories,
  type User,
} from '../repository';
import { aJoinCode, aUser } from './repository-contract';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FC4';
const MINUTE = 60_000;
const LONG_LEASE_MS = 60_000;
const MAX_ROUNDS = 400;

const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
const aHash = () => createHash('sha256').update(randomUUID()).digest('hex');
const freshEmail = () => `moved-${randomUUID()}@example.test`;

export function describeAccountsContract(getRepos: () => Repositories) {
  const repos = () => getRepos();
  const aPerson = (overrides = {}) => repos().users.create(aUser(overrides));
  const mailTo = (user: User): OutboxEvent => ({
    topic: 'mail',
    mail: { kind: 'password-reset', userId: user.id, tokenId: randomUUID() },
  });

  describe('accounts: email changes', () => {
    it('moves the account to a new address: found by the new one, the old one free for others', async () => {
      const user = await aPerson();
      const next = freshEmail();
      const moved = await repos().users.changeEmail(user.id, `  ${next.toUpperCase()} `, true);
      expect(moved).toMatchObject({ id: user.id, email: next, emailVerified: true });
      expect((await repos().users.getByEmail(next))?.id).toBe(user.id);
      expect(await repos().users.getByEmail(user.email)).toBeNull();
      expect((await repos().users.getById(user.id))?.email).toBe(next);
      const newcomer = await repos().users.create(aUser({ email: user.email }));
      expect(newcomer.email).toBe(user.email);
    });

    it('refuses an address another user holds, changing nothing', async () => {
      const [ann, ben] = await Promise.all([aPerson(), aPerson()]);
      await expect(repos().users.changeEmail(ann.id, ben.email, false)).rejects.toEqual(new DataConflictError('email'));
      expect((await repos().users.getById(ann.id))?.email).toBe(ann.email);
      expect((await repos().users.getByEmail(ben.email))?.id).toBe(ben.id);
      expect((await repos().users.getByEmail(ann.email))?.id).toBe(ann.id);
    });

    it('lets exactly one of two users racing to one address have it', async () => {
      const [ann, ben] = await Promise.all([aPerson(), aPerson()]);
      const target = freshEmail();
      const results = await Promise.allSettled([
        repos().users.changeEmail(ann.id, target, true),
        repos().users.changeEmail(ben.id, target, true),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(DataConflictError);
      const winner = (won[0] as PromiseFulfilledResult<User>).value;
      const loser = winner.id === ann.id ? ben : ann;
      expect((await repos().users.getByEmail(target))?.id).toBe(winner.id);
      expect((await repos().users.getById(loser.id))?.email).toBe(loser.email);
      expect((await repos().users.getByEmail(loser.email))?.id).toBe(loser.id);
    });

    it('treats the same address as a no-op apart from emailVerified; an unknown user is not found', async () => {
      const user = await aPerson();
      const same = await repos().users.changeEmail(user.id, user.email, true);
      expect(same).toMatchObject({ email: user.email, emailVerified: true });
      expect((await repos().users.getByEmail(user.email))?.id).toBe(user.id);
      await expect(repos().users.changeEmail(MISSING_ID, freshEmail(), false)).rejects.toBeInstanceOf(
        DataNotFoundError,
      );
    });
  });

  describe('accounts: disabled users and mail preferences', () => {
    it('starts active with the default preferences, and round-trips disabledAt and preferences', async () => {
      const user = await aPerson();
      expect(user).toMatchObject({ disabledAt: null, mailPreferences: DEFAULT_MAIL_PREFERENCES });
      const disabledAt = new Date().toISOString();
      const prefs = { grades: false, messages: true, announcements: false, digest: true };
      const updated = await repos().users.update(user.id, { disabledAt, mailPreferences: prefs });
      expect(updated).toMatchObject({ disabledAt, mailPreferences: prefs, email: user.email });
      expect(await repos().users.getById(user.id)).toEqual(updated);
      expect((await repos().users.getByEmail(user.email))?.mailPreferences).toEqual(prefs);
      const enabled = await repos().users.update(user.id, { disabledAt: null });
      expect(enabled).toMatchObject({ disabledAt: null, mailPreferences: prefs });
      expect((await repos().users.getMany([user.id]))[0]).toEqual(enabled);
    });
  });

  describe('accounts: sessions', () => {
    const session = (userId: string, opts: { userAgent?: string | null; expiresAt?: string } = {}) =>
      repos().authSessions.create({
        userId,
        expiresAt: opts.expiresAt ?? fromNow(60 * MINUTE),
        userAgent: opts.userAgent,
      });

    it('keeps the trimmed User-Agent (200 characters at most) and starts lastSeenAt at createdAt', async () => {
      const user = await aPerson();
      const long = await session(user.id, { userAgent: `  Mozilla/5.0 ${'x'.repeat(400)}` });
      expect(long.userAgent).toBe(`Mozilla/5.0 ${'x'.repeat(400)}`.slice(0, 200));
      expect(long.lastSeenAt).toBe(long.createdAt);
      expect(await repos().authSessions.get(long.id)).toEqual(long);
      expect((await session(user.id)).userAgent).toBeNull();
      expect((await session(user.id, { userAgent: '   ' })).userAgent).toBeNull();
    });

    it('touch moves lastSeenAt forward, at most once a minute, never for a revoked session', async () => {
      const user = await aPerson();
      const s = await session(user.id);
      const later = at(s.createdAt, 5 * MINUTE);
      await repos().authSessions.touch(s.id, later);
      expect((await repos().authSessions.get(s.id))?.lastSeenAt).toBe(later);
      await repos().authSessions.touch(s.id, at(later, 10_000)); // within the minute
      await repos().authSessions.touch(s.id, s.createdAt); // back in time
      expect((await repos().authSessions.get(s.id))?.lastSeenAt).toBe(later);
      await repos().authSessions.revoke(s.id);
      await repos().authSessions.touch(s.id, at(later, 10 * MINUTE));
      expect((await repos().authSessions.get(s.id))?.lastSeenAt).toBe(later);
      await expect(repos().authSessions.touch(MISSING_ID, later)).resolves.toBeUndefined();
    });

    it('lists a user’s active sessions, most recently seen first; not revoked, expired or others’', async () => {
      const [user, other] = await Promise.all([aPerson(), aPerson()]);
      const [a, b, c] = [await session(user.id), await session(user.id), await session(user.id)];
      const revoked = await session(user.id);
      await repos().authSessions.revoke(revoked.id);
      await session(user.id, { expiresAt: fromNow(-MINUTE) });
      await session(other.id);
      await repos().authSessions.touch(a.id, at(a.createdAt, 3 * MINUTE));
      await repos().authSessions.touch(c.id, at(c.createdAt, 2 * MINUTE));
      const listed = await repos().authSessions.listActiveByUser(user.id, new Date().toISOString());
      expect(listed.map((s) => s.id)).toEqual([a.id, c.id, b.id]);
      expect(listed[0]).toMatchObject({ userId: user.id, revoked: false, lastSeenAt: at(a.createdAt, 3 * MINUTE) });
      // `now` decides what has expired.
      expect(await repos().authSessions.listActiveByUser(user.id, fromNow(2 * 60 * MINUTE))).toEqual([]);
      expect(await repos().authSessions.listActiveByUser(MISSING_ID, new Date().toISOString())).toEqual([]);
    });

    it('lists at most 100 sessions', async () => {
      const user = await aPerson();
      for (let i = 0; i < 105; i += 15) await Promise.all(Array.from({ length: 15 }, () => session(user.id)));
      expect(await repos().authSessions.listActiveByUser(user.id, new Date().toISOString())).toHaveLength(100);
    });

    it('revokes every session of the user but the one kept; revoked ones no longer rotate', async () => {
      const [user, other] = await Promise.all([aPerson(), aPerson()]);
      const [keep, a, b] = [await session(user.id), await session(user.id), await session(user.id)];
      const others = await session(other.id);
      expect(await repos().authSessions.revokeAllForUser(user.id, { exceptId: keep.id })).toBe(2);
      for (const s of [a, b]) {
        expect((await repos().authSessions.get(s.id))?.revoked).toBe(true);
        expect(await repos().authSessions.rotate(s.id, 0)).toBeNull();
      }
      expect((await repos().authSessions.rotate(keep.id, 0))?.generation).toBe(1);
      expect((await repos().authSessions.get(others.id))?.revoked).toBe(false);
      const listed = await repos().authSessions.listActiveByUser(user.id, new Date().toISOString());
      expect(listed.map((s) => s.id)).toEqual([keep.id]);
      expect(await repos().authSessions.revokeAllForUser(user.id, { exceptId: keep.id })).toBe(0);
      expect(await repos().authSessions.revokeAllForUser(user.id)).toBe(1);
      expect(await repos().authSessions.rotate(keep.id, 1)).toBeNull();
    });
  });

  describe('accounts: account tokens', () => {
    const aToken = (user: User, purpose: AccountTokenPurpose = 'password-reset', expiresAt = fromNow(30 * MINUTE)) =>
      repos().accountTokens.create({
        id: newId(),
        userId: user.id,
        purpose,
        tokenHash: aHash(),
        email: user.email,
        expiresAt,
      });
    const now = () => new Date().toISOString();

    it('creates a token, unused, and gets it by id', async () => {
      const user = await aPerson();
      const token = await aToken(user, 'change-email');
      expect(token).toMatchObject({ userId: user.id, purpose: 'change-email', email: user.email, usedAt: null });
      expect(token.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(await repos().accountTokens.get(token.id)).toEqual(token);
      expect(await repos().accountTokens.get(MISSING_ID)).toBeNull();
    });

    it('is consumed exactly once when five consume it at once', async () => {
      const token = await aToken(await aPerson());
      const results = await Promise.all(
        Array.from({ length: 5 }, () => repos().accountTokens.consume(token.id, token.purpose, token.tokenHash, now())),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual(['consumed', 'used', 'used', 'used', 'used']);
      const consumed = results.find((r) => r.status === 'consumed');
      expect(consumed && 'token' in consumed && consumed.token.usedAt).toBeTruthy();
      expect((await repos().accountTokens.get(token.id))?.usedAt).not.toBeNull();
    });

    it('says expired after expiresAt, and changes nothing', async () => {
      const token = await aToken(await aPerson(), 'verify-email', fromNow(-MINUTE));
      expect(await repos().accountTokens.consume(token.id, 'verify-email', token.tokenHash, now())).toEqual({
        status: 'expired',
      });
      expect((await repos().accountTokens.get(token.id))?.usedAt).toBeNull();
    });

    it('says invalid for a wrong hash, purpose or id, and the token stays usable', async () => {
      const token = await aToken(await aPerson());
      const consume = (id: string, purpose: AccountTokenPurpose, hash: string) =>
        repos().accountTokens.consume(id, purpose, hash, now());
      expect(await consume(token.id, 'password-reset', aHash())).toEqual({ status: 'invalid' });
      expect(await consume(token.id, 'verify-email', token.tokenHash)).toEqual({ status: 'invalid' });
      expect(await consume(MISSING_ID, 'password-reset', token.tokenHash)).toEqual({ status: 'invalid' });
      expect((await consume(token.id, 'password-reset', token.tokenHash)).status).toBe('consumed');
      // Used, a wrong hash still says nothing about it.
      expect(await consume(token.id, 'password-reset', aHash())).toEqual({ status: 'invalid' });
    });

    it('revokeForUser uses up the user’s unused tokens of one purpose only', async () => {
      const [user, other] = await Promise.all([aPerson(), aPerson()]);
      const [first, second, used] = [await aToken(user), await aToken(user), await aToken(user)];
      const verify = await aToken(user, 'verify-email');
      const othersReset = await aToken(other);
      await repos().accountTokens.consume(used.id, used.purpose, used.tokenHash, now());
      expect(await repos().accountTokens.revokeForUser(user.id, 'password-reset', now())).toBe(2);
      for (const t of [first, second]) {
        expect(await repos().accountTokens.consume(t.id, t.purpose, t.tokenHash, now())).toEqual({ status: 'used' });
      }
      expect((await repos().accountTokens.consume(verify.id, 'verify-email', verify.tokenHash, now())).status).toBe(
        'consumed',
      );
      expect((await repos().accountTokens.get(othersReset.id))?.usedAt).toBeNull();
      expect(await repos().accountTokens.revokeForUser(user.id, 'password-reset', now())).toBe(0);
    });
  });

  describe('accounts: archived courses and the list of every course', () => {
    const aCourse = (instructorId: string) =>
      repos().courses.create({ title: 'Archive me', code: 'ARC-1', instructorId, joinCode: aJoinCode() });

    it('sets and clears archivedAt through update', async () => {
      const course = await aCourse((await aPerson({ role: 'instructor' })).id);
      expect(course.archivedAt).toBeNull();
      const archivedAt = new Date().toISOString();
      const archived = await repos().courses.update(course.id, { archivedAt });
      expect(archived).toMatchObject({ archivedAt, title: course.title, joinCode: course.joinCode });
      expect(await repos().courses.getById(course.id)).toEqual(archived);
      expect((await repos().courses.getByJoinCode(course.joinCode))?.archivedAt).toBe(archivedAt);
      const restored = await repos().courses.update(course.id, { archivedAt: null });
      expect(restored.archivedAt).toBeNull();
      expect((await repos().courses.getMany([course.id]))[0]).toEqual(restored);
    });

    it('lists every course newest first, each once across pages, archived ones included', async () => {
      const teacher = await aPerson({ role: 'instructor' });
      const mine: Course[] = [];
      for (let i = 0; i < 3; i++) mine.push(await aCourse(teacher.id));
      await repos().courses.update(mine[1]!.id, { archivedAt: new Date().toISOString() });
      const seen: Course[] = [];
      let cursor: string | null | undefined;
      for (let page = 0; page < 200; page++) {
        const result = await repos().courses.listAll({ limit: 50, cursor });
        seen.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      expect(cursor).toBeNull();
      const ids = seen.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      const order = (c: Course) => `${c.createdAt}#${c.id}`;
      for (let i = 1; i < seen.length; i++) expect(order(seen[i - 1]!) > order(seen[i]!)).toBe(true);
      const ours = seen.filter((c) => mine.some((m) => m.id === c.id)).map((c) => c.id);
      expect(ours).toEqual([mine[2]!.id, mine[1]!.id, mine[0]!.id]);
      expect(seen.find((c) => c.id === mine[1]!.id)?.archivedAt).not.toBeNull();
      const first = await repos().courses.listAll({ limit: 1 });
      expect(first.items).toHaveLength(1);
      await expect(repos().courses.listAll({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('accounts: outbox enqueue', () => {
    /** Claims until nothing is due, completing everything not in `ids`; returns ours (leased). */
    async function claimAll(ids: Set<string>): Promise<OutboxEntry[]> {
      const ours: OutboxEntry[] = [];
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const batch = await repos().outbox.claimDue(100, LONG_LEASE_MS);
        for (const entry of batch) {
          if (ids.has(entry.id)) ours.push(entry);
          else await repos().outbox.complete(entry.id);
        }
        if (batch.length === 0) return ours;
      }
      throw new Error(`outbox still had due entries after ${MAX_ROUNDS} claims`);
    }

    it('creates an entry once per dedupe key, even after it is done', async () => {
      const user = await aPerson();
      const event = mailTo(user);
      const key = `mail:test:${randomUUID()}`;
      const first = await repos().outbox.enqueue(event, { dedupeKey: key });
      expect(first).toMatchObject({ created: true, entry: { event, attempts: 0, lastError: null } });
      const again = await repos().outbox.enqueue(mailTo(user), { dedupeKey: key });
      expect(again).toEqual({ created: false, entry: first.entry });
      const [claimed] = await claimAll(new Set([first.entry.id]));
      expect(claimed).toMatchObject({ id: first.entry.id, event });
      await repos().outbox.complete(first.entry.id);
      const afterDone = await repos().outbox.enqueue(event, { dedupeKey: key });
      expect(afterDone.created).toBe(false);
      expect(afterDone.entry.id).toBe(first.entry.id);
      expect(await repos().outbox.claim(first.entry.id, LONG_LEASE_MS)).toEqual({ status: 'done' });
      expect(await claimAll(new Set([first.entry.id]))).toEqual([]);
    });

    it('makes one entry when five enqueue one key at once', async () => {
      const event = mailTo(await aPerson());
      const key = `mail:test:${randomUUID()}`;
      const before = await repos().outbox.countPending('mail');
      const results = await Promise.all(
        Array.from({ length: 5 }, () => repos().outbox.enqueue(event, { dedupeKey: key })),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
      expect(await repos().outbox.countPending('mail')).toBe(before + 1);
      const ours = await claimAll(new Set([results[0]!.entry.id]));
      expect(ours).toHaveLength(1);
      await repos().outbox.complete(ours[0]!.id);
    });

    it('adds an entry per call without a key', async () => {
      const event = mailTo(await aPerson());
      const [a, b] = [await repos().outbox.enqueue(event), await repos().outbox.enqueue(event)];
      expect(a.created && b.created).toBe(true);
      expect(a.entry.id).not.toBe(b.entry.id);
      const ours = await claimAll(new Set([a.entry.id, b.entry.id]));
      expect(ours.map((e) => e.id).sort()).toEqual([a.entry.id, b.entry.id].sort());
      for (const e of ours) await repos().outbox.complete(e.id);
      expect(await repos().outbox.claim(a.entry.id, LONG_LEASE_MS)).toEqual({ status: 'done' });
    });

    it('holds an entry back until availableAt', async () => {
      const user = await aPerson();
      const later = await repos().outbox.enqueue(mailTo(user), { availableAt: fromNow(10 * MINUTE) });
      const past = await repos().outbox.enqueue(mailTo(user), { availableAt: fromNow(-MINUTE) });
      const ours = await claimAll(new Set([later.entry.id, past.entry.id]));
      expect(ours.map((e) => e.id)).toEqual([past.entry.id]);
      expect(await repos().outbox.claim(later.entry.id, LONG_LEASE_MS)).toEqual({ status: 'leased' });
      await repos().outbox.complete(past.entry.id);
      await repos().outbox.complete(later.entry.id);
    });

    it('counts pending entries of one topic', async () => {
      const user = await aPerson();
      const [mail, notifications, all] = await Promise.all([
        repos().outbox.countPending('mail'),
        repos().outbox.countPending('notification'),
        repos().outbox.countPending(),
      ]);
      const added = await repos().outbox.enqueue(mailTo(user), { availableAt: fromNow(10 * MINUTE) });
      expect(await repos().outbox.countPending('mail')).toBe(mail + 1);
      expect(await repos().outbox.countPending('notification')).toBe(notifications);
      expect(await repos().outbox.countPending()).toBe(all + 1);
      await repos().outbox.complete(added.entry.id);
      expect(await repos().outbox.countPending('mail')).toBe(mail);
    });
  });
}
