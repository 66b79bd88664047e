import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  UNSUBSCRIBE_TOKEN_LIFETIME_SECONDS,
  createUnsubscribeToken,
  readUnsubscribeToken,
  unsubscribeUrl,
} from './unsubscribe-tokens.server';

const now = new Date('2026-03-01T10:00:00.000Z');

describe('unsubscribe tokens', () => {
  it('round-trips the user and the preference', async () => {
    const token = await createUnsubscribeToken({ userId: 'u1', preference: 'grades' }, now);
    expect(await readUnsubscribeToken(token, now)).toEqual({ userId: 'u1', preference: 'grades' });
    expect(unsubscribeUrl('https://classcast.test', token)).toBe(`https://classcast.test/unsubscribe?token=${token}`);
  });

  it('refuses a tampered token: payload, signature, or a preference that does not exist', async () => {
    const token = await createUnsubscribeToken({ userId: 'u1', preference: 'digest' }, now);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const otherPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'u2' }),
    ).toString('base64url');
    expect(await readUnsubscribeToken(`${header}.${otherPayload}.${signature}`, now)).toBeNull();
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    expect(await readUnsubscribeToken(`${header}.${payload}.${flipped}`, now)).toBeNull();
    for (const bad of ['', 'x', 'a.b.c', `${token}x`, 'x'.repeat(3000)]) {
      expect(await readUnsubscribeToken(bad, now)).toBeNull();
    }
  });

  it('refuses a token signed with another key or for another purpose', async () => {
    const foreign = await new SignJWT({ pref: 'grades' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setAudience('classcast:unsubscribe')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-some-other-secret'));
    expect(await readUnsubscribeToken(foreign, new Date())).toBeNull();
  });

  it('refuses an expired token', async () => {
    const token = await createUnsubscribeToken({ userId: 'u1', preference: 'messages' }, now);
    const later = new Date(now.getTime() + (UNSUBSCRIBE_TOKEN_LIFETIME_SECONDS + 60) * 1000);
    expect(await readUnsubscribeToken(token, later)).toBeNull();
  });
});
