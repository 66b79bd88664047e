import { describe, expect, it } from 'vitest';
import { builders, setupServiceContext } from '../../tests/service-context';
import { findOrCreateLtiUser, isPlaceholderEmail, placeholderEmail } from './lti-users.server';

const world = setupServiceContext();
const { aUser } = builders(world);

let n = 0;
function aPerson(overrides: Partial<Parameters<typeof findOrCreateLtiUser>[1]> = {}) {
  const id = `${Date.now().toString(36)}-${++n}`;
  return {
    issuer: `https://lms-${id}.example.edu`,
    subject: `sub-${id}`,
    name: 'Grace Hopper',
    givenName: 'Grace',
    familyName: 'Hopper',
    email: `grace-${id}@school.example.edu`,
    role: 'student' as const,
    ...overrides,
  };
}

describe('findOrCreateLtiUser', () => {
  it('creates a user from the LMS names and email, without a password, and links it', async () => {
    const person = aPerson();
    const user = await findOrCreateLtiUser(world.ctx, person);
    expect(user).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: person.email,
      role: 'student',
      passwordHash: null,
      emailVerified: false,
    });
    expect(await world.ctx.repos.lti.findUserLink(person.issuer, person.subject)).toBe(user.id);
    expect((await findOrCreateLtiUser(world.ctx, person)).id).toBe(user.id);
  });

  it('splits a full name when the LMS sends no given/family names', async () => {
    const user = await findOrCreateLtiUser(
      world.ctx,
      aPerson({ givenName: null, familyName: undefined, name: ' Ada  King Lovelace ' }),
    );
    expect(user).toMatchObject({ firstName: 'Ada', lastName: 'King Lovelace' });
    const nameless = await findOrCreateLtiUser(world.ctx, aPerson({ givenName: '', familyName: '', name: '' }));
    expect(nameless.firstName).toBe('LMS user');
  });

  it('never takes over an existing ClassCast account with the same email: a placeholder address instead', async () => {
    const local = await aUser('student');
    const person = aPerson({ email: local.email.toUpperCase() });
    const user = await findOrCreateLtiUser(world.ctx, person);
    expect(user.id).not.toBe(local.id);
    expect(user.email).toBe(placeholderEmail(person.issuer, person.subject));
    expect(isPlaceholderEmail(user.email)).toBe(true);
    expect(user.email).toMatch(/@lti\.invalid$/);
    expect(await world.ctx.repos.lti.findUserLink(person.issuer, person.subject)).toBe(user.id);
  });

  it('uses a placeholder when the LMS sends no usable email', async () => {
    for (const email of [null, '', 'not-an-email']) {
      const person = aPerson({ email });
      expect((await findOrCreateLtiUser(world.ctx, person)).email).toBe(
        placeholderEmail(person.issuer, person.subject),
      );
    }
  });

  it('the same subject on another LMS is another person', async () => {
    const a = aPerson();
    const first = await findOrCreateLtiUser(world.ctx, a);
    const second = await findOrCreateLtiUser(world.ctx, { ...a, issuer: `${a.issuer}/other`, email: null });
    expect(second.id).not.toBe(first.id);
  });

  it('raises the role when the LMS says they teach, never lowers it', async () => {
    const person = aPerson();
    const student = await findOrCreateLtiUser(world.ctx, person);
    const teacher = await findOrCreateLtiUser(world.ctx, { ...person, role: 'instructor' });
    expect(teacher).toMatchObject({ id: student.id, role: 'instructor' });
    expect((await findOrCreateLtiUser(world.ctx, { ...person, role: 'student' })).role).toBe('instructor');
  });

  it('makes one user when the same person arrives several times at once', async () => {
    for (const email of [`race-${++n}@school.example.edu`, null]) {
      const person = aPerson({ email });
      const users = await Promise.all(Array.from({ length: 5 }, () => findOrCreateLtiUser(world.ctx, person)));
      expect(new Set(users.map((u) => u.id)).size).toBe(1);
      expect(await world.ctx.repos.lti.findUserLink(person.issuer, person.subject)).toBe(users[0].id);
    }
  });
});
