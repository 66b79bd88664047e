import { describe, expect, it } from 'vitest';
import { maskEmails, REDACTED, redactForLog } from './redact';

describe('redactForLog', () => {
  it('masks every email address to its first letter and domain', () => {
    expect(maskEmails('no account for ann.lee@example.org or b@x.co.uk')).toBe(
      'no account for a***@example.org or b***@x.co.uk',
    );
  });

  it('drops secrets by key at any depth, whatever the case', () => {
    const line = redactForLog({
      password: 'hunter22',
      body: { newPassword: 'x', refreshToken: 'r', email: 'student@school.edu' },
      headers: { Authorization: 'Bearer abc', cookie: 'classcast_session=s', 'set-cookie': ['a'], accept: 'text/html' },
      user: { passwordHash: '$argon2id$...', firstName: 'Ann' },
      JWT_SECRET: 'k',
    }) as Record<string, any>;
    const text = JSON.stringify(line);
    for (const secret of ['hunter22', 'Bearer abc', 'classcast_session', '$argon2id', '"r"', 'student@school.edu']) {
      expect(text).not.toContain(secret);
    }
    expect(line.password).toBe(REDACTED);
    expect(line.headers.Authorization).toBe(REDACTED);
    expect(line.headers.accept).toBe('text/html');
    expect(line.body.email).toBe('s***@school.edu');
    expect(line.user.firstName).toBe('Ann');
  });

  it('turns errors into plain fields, masking their messages', () => {
    const out = redactForLog(new Error('duplicate email ann@example.org')) as Record<string, string>;
    expect(out.type).toBe('Error');
    expect(out.message).toBe('duplicate email a***@example.org');
    expect(out.stack).not.toContain('ann@example.org');
  });

  it('cuts structures deeper than a log line needs (and survives cycles)', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(JSON.stringify(redactForLog(cyclic))).toContain('[truncated]');
  });
});
