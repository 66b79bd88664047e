import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CognitoIdentity } from '~/auth/cognito-identity';
import { builders, setupServiceContext } from '../../tests/service-context';
import { signInWithCognito } from './cognito-accounts.server';

const world = setupServiceContext();
const { aUser } = builders(world);

let counter = 0;
function anIdentity(overrides: Partial<CognitoIdentity> = {}): CognitoIdentity {
  counter += 1;
  return {
    sub: randomUUID(),
    email: `pool${counter}-${randomUUID().slice(0, 8)}@school.example`,
    emailVerified: true,
    groups: [],
    username: `pool${counter}`,
    givenName: 'Grace',
    familyName: 'Hopper',
    ...overrides,
  };
}

describe('signInWithCognito', () => {
  it('creates the user on the first sign-in, without a password, linked by sub', async () => {
    const identity = anIdentity({ groups: ['instructor'] });
    const user = await signInWithCognito(world.ctx, identity);
    expect(user).toMatchObject({
      email: identity.email,
      firstName: 'Grace',
      lastName: 'Hopper',
      role: 'instructor',
      passwordHash: null,
      emailVerified: true,
      cognitoSub: identity.sub,
    });
    expect(await world.ctx.repos.users.getByCognitoSub(identity.sub)).toEqual(user);
  });

  it('finds the same user on later sign-ins and follows the groups into the role', async () => {
    const identity = anIdentity({ groups: ['student'] });
    const first = await signInWithCognito(world.ctx, identity);
    const promoted = await signInWithCognito(world.ctx, { ...identity, groups: ['instructor'] });
    expect(promoted).toMatchObject({ id: first.id, role: 'instructor' });
    const demoted = await signInWithCognito(world.ctx, { ...identity, groups: [] });
    expect(demoted).toMatchObject({ id: first.id, role: 'student' });
    expect((await world.ctx.repos.users.getById(first.id))?.role).toBe('student');
  });

  it('gives a user in no group (or only in groups we do not know) the student role', async () => {
    expect((await signInWithCognito(world.ctx, anIdentity({ groups: [] }))).role).toBe('student');
    expect((await signInWithCognito(world.ctx, anIdentity({ groups: ['Staff', 'alumni'] }))).role).toBe('student');
  });

  it('picks the most privileged of several groups, in any case and plural', async () => {
    expect((await signInWithCognito(world.ctx, anIdentity({ groups: ['student', 'Instructors'] }))).role).toBe(
      'instructor',
    );
    expect((await signInWithCognito(world.ctx, anIdentity({ groups: ['instructor', 'ADMIN'] }))).role).toBe('admin');
  });

  it('names a user without given and family names after the username', async () => {
    const user = await signInWithCognito(
      world.ctx,
      anIdentity({ givenName: null, familyName: null, username: 'ghopper' }),
    );
    expect(user).toMatchObject({ firstName: 'ghopper', lastName: '' });
  });

  it('links a local account with the same email when the pool has verified the email', async () => {
    const local = await aUser('instructor', { passwordHash: 'a-password-hash' });
    const identity = anIdentity({ email: local.email.toUpperCase(), emailVerified: true, groups: ['instructor'] });
    const user = await signInWithCognito(world.ctx, identity);
    expect(user).toMatchObject({ id: local.id, cognitoSub: identity.sub, role: 'instructor' });
    expect(user.passwordHash).toBe('a-password-hash');
  });

  it('refuses to take over a local account when the pool has not verified the email', async () => {
    const local = await aUser('instructor');
    const identity = anIdentity({ email: local.email, emailVerified: false });
    await expect(signInWithCognito(world.ctx, identity)).rejects.toMatchObject({ code: 'EMAIL_TAKEN', status: 409 });
    expect((await world.ctx.repos.users.getById(local.id))?.cognitoSub).toBeNull();
    expect(await world.ctx.repos.users.getByCognitoSub(identity.sub)).toBeNull();
  });

  it('refuses a second pool identity for an account already linked to another', async () => {
    const first = anIdentity();
    const linked = await signInWithCognito(world.ctx, first);
    const impostor = anIdentity({ email: linked.email });
    await expect(signInWithCognito(world.ctx, impostor)).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    expect((await world.ctx.repos.users.getById(linked.id))?.cognitoSub).toBe(first.sub);
  });

  it('refuses an identity without an email', async () => {
    await expect(signInWithCognito(world.ctx, anIdentity({ email: '  ' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('makes one user of two first sign-ins at once', async () => {
    const identity = anIdentity();
    const [a, b] = await Promise.all([signInWithCognito(world.ctx, identity), signInWithCognito(world.ctx, identity)]);
    expect(a.id).toBe(b.id);
  });
});
