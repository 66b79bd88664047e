import { describe, expect, it } from 'vitest';
import { expectStatus, setupServiceContext } from '../../tests/service-context';
import { createUserWithRole, login, signup } from './accounts.server';

const world = setupServiceContext();
let n = 0;
const email = () => `acct${Date.now().toString(36)}${++n}@example.test`;
const newcomer = (overrides: Record<string, unknown> = {}) => ({
  email: email(),
  password: 'correct horse battery',
  firstName: 'Ada',
  lastName: 'Lovelace',
  role: 'student',
  ...overrides,
});

describe('signup', () => {
  it('creates a student or an instructor, never storing the password', async () => {
    const student = await signup(world.ctx, newcomer());
    const instructor = await signup(world.ctx, newcomer({ role: 'instructor' }));
    expect([student.role, instructor.role]).toEqual(['student', 'instructor']);
    expect(student.passwordHash).not.toContain('correct horse');
  });

  it('refuses self-signup as admin', async () => {
    await expectStatus(signup(world.ctx, newcomer({ role: 'admin' })), 400);
  });

  it('a taken email is 409, in any case', async () => {
    const input = newcomer();
    await signup(world.ctx, input);
    await expectStatus(signup(world.ctx, { ...input, email: input.email.toUpperCase() }), 409);
  });
});

describe('login', () => {
  it('signs in with the email as typed at signup, in any case', async () => {
    const input = newcomer({ email: `Mixed.${email()}` });
    const user = await signup(world.ctx, input);
    expect(
      (await login(world.ctx, { email: input.email.toLowerCase(), password: input.password }, '127.0.0.9')).id,
    ).toBe(user.id);
  });

  it('a wrong password and an unknown email get the same 401', async () => {
    const input = newcomer();
    await signup(world.ctx, input);
    await expectStatus(login(world.ctx, { email: input.email, password: 'not it at all' }, '127.0.0.9'), 401);
    await expectStatus(login(world.ctx, { email: email(), password: input.password }, '127.0.0.9'), 401);
  });
});

describe('createUserWithRole', () => {
  it('is the one way to make an admin, and the admin can sign in', async () => {
    const address = email();
    const admin = await createUserWithRole(world.ctx, {
      email: address,
      password: 'correct horse battery',
      firstName: 'Root',
      lastName: 'Admin',
      role: 'admin',
    });
    expect(admin.role).toBe('admin');
    expect((await login(world.ctx, { email: address, password: 'correct horse battery' }, '127.0.0.9')).id).toBe(
      admin.id,
    );
  });
});
