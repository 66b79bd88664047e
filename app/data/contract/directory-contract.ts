/**
 * Contract, the user directory (users.search): contains-matching on first name, last name,
 * "first last" and email, case-insensitive and literal; ordered by last name, first name, id;
 * every match exactly once across pages. Each test searches for its own random token, so the
 * other users in a shared database never match.
 */
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../errors';
import type { Repositories, User, UserSearch } from '../repository';
import { drain } from './community-world';
import { aUser } from './repository-contract';

const token = () => `q${Math.random().toString(36).slice(2, 10)}`;
const byName = (a: User, b: User) =>
  a.lastName === b.lastName
    ? a.firstName === b.firstName
      ? a.id < b.id
        ? -1
        : 1
      : a.firstName < b.firstName
        ? -1
        : 1
    : a.lastName < b.lastName
      ? -1
      : 1;

export function describeDirectoryContract(getRepos: () => Repositories) {
  const repos = () => getRepos();
  const search = async (filter: UserSearch, limit = 100) =>
    drain((cursor) => repos().users.search(filter, { limit, cursor }));
  const ids = (users: User[]) => users.map((u) => u.id);

  describe('user directory', () => {
    it('matches a term inside first name, last name, "first last" or email, ignoring case and spaces around', async () => {
      const t = token();
      const first = await repos().users.create(aUser({ firstName: `Ma${t}ry`, lastName: 'Jackson' }));
      const last = await repos().users.create(aUser({ firstName: 'Dorothy', lastName: `Vau${t}ghan` }));
      const email = await repos().users.create(
        aUser({ email: `kat.${t}@example.test`, firstName: 'Kat', lastName: 'Johnson' }),
      );
      await repos().users.create(aUser({ firstName: 'Other', lastName: 'Person' }));
      expect(ids(await search({ term: t })).sort()).toEqual(ids([first, last, email]).sort());
      expect(ids(await search({ term: `  ${t.toUpperCase()} ` })).sort()).toEqual(ids([first, last, email]).sort());
      expect(ids(await search({ term: `${t}ry Jack` }))).toEqual([first.id]);
      expect(ids(await search({ term: `kat.${t}@` }))).toEqual([email.id]);
    });

    it('orders by last name, first name, id and pages through every match once', async () => {
      const t = token();
      const names: [string, string][] = [
        ['Zed', 'A'],
        ['Amy', 'B'],
        ['Bea', 'A'],
        ['Amy', 'B'],
        ['Cy', 'C'],
        ['Al', 'A'],
        ['Amy', 'B'],
      ];
      const made = [];
      for (const [firstName, lastName] of names) {
        made.push(await repos().users.create(aUser({ firstName, lastName: `${t}${lastName}` })));
      }
      const expected = [...made].sort(byName);
      expect(ids(await search({ term: t }, 2))).toEqual(ids(expected));
      expect(ids(await search({ term: t }, 3))).toEqual(ids(expected));
      expect(ids(await search({ term: t }))).toEqual(ids(expected));
    });

    it('narrows by role', async () => {
      const t = token();
      const teacher = await repos().users.create(aUser({ role: 'instructor', lastName: `T${t}` }));
      const admin = await repos().users.create(aUser({ role: 'admin', lastName: `A${t}` }));
      const student = await repos().users.create(aUser({ role: 'student', lastName: `S${t}` }));
      expect(ids(await search({ term: t, role: 'instructor' }))).toEqual([teacher.id]);
      expect(ids(await search({ term: t, role: 'student' }))).toEqual([student.id]);
      expect(ids(await search({ term: t }))).toEqual([admin.id, student.id, teacher.id]);
    });

    it('takes % and _ literally', async () => {
      const t = token();
      const plain = await repos().users.create(aUser({ lastName: `${t}ab` }));
      const underscored = await repos().users.create(aUser({ lastName: `${t}_b` }));
      expect(ids(await search({ term: `${t}_` }))).toEqual([underscored.id]);
      expect(await search({ term: `${t}%b` })).toEqual([]);
      expect(ids(await search({ term: t })).sort()).toEqual(ids([plain, underscored]).sort());
    });

    it('lists everyone without a term, and rejects cursors of another search', async () => {
      for (let i = 0; i < 4; i++) await repos().users.create(aUser());
      // Pages may be short (DynamoDB filters after reading) but never overlap.
      const first = await repos().users.search({}, { limit: 3 });
      expect(first.items.length).toBeLessThanOrEqual(3);
      expect(first.nextCursor).toBeTruthy();
      const second = await repos().users.search({}, { limit: 3, cursor: first.nextCursor });
      const together = [...first.items, ...second.items];
      expect(new Set(ids(together)).size).toBe(together.length);
      await expect(repos().users.search({ term: 'x' }, { cursor: first.nextCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(repos().users.search({ role: 'admin' }, { cursor: first.nextCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(repos().users.search({}, { cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
