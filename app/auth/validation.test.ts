import { describe, expect, it } from 'vitest';
import { loginSchema, signupSchema } from './validation';

const valid = {
  email: ' Ada@Example.COM ',
  password: 'correct horse',
  firstName: 'Ada',
  lastName: 'L',
  role: 'student',
};

describe('signup and login rules', () => {
  it('normalizes emails the same way for signup and login', () => {
    expect(signupSchema.parse(valid).email).toBe('ada@example.com');
    expect(loginSchema.parse({ email: 'ADA@example.com', password: 'correct horse' }).email).toBe('ada@example.com');
  });
  it('applies the password rule at signup only; login never states it', () => {
    expect(signupSchema.safeParse({ ...valid, password: 'short' }).success).toBe(false);
    expect(signupSchema.safeParse({ ...valid, password: '12345678' }).success).toBe(true);
    // A short password at login is simply wrong credentials, found by the account check.
    expect(loginSchema.safeParse({ email: valid.email, password: 'short' }).success).toBe(true);
    const empty = loginSchema.safeParse({ email: valid.email, password: '' });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues.map((i) => i.message)).toEqual(['Enter your password.']);
  });
  it('never accepts admin (or anything else) as a self-signup role', () => {
    expect(signupSchema.safeParse({ ...valid, role: 'admin' }).success).toBe(false);
    expect(signupSchema.safeParse({ ...valid, role: 'instructor' }).success).toBe(true);
    expect(signupSchema.parse({ ...valid, role: undefined }).role).toBe('student');
  });
  it('rejects malformed emails and missing names', () => {
    expect(signupSchema.safeParse({ ...valid, email: 'not-an-email' }).success).toBe(false);
    expect(signupSchema.safeParse({ ...valid, firstName: '  ' }).success).toBe(false);
  });
});
