import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signAccessToken, signRefreshToken, verifyAccessToken, verifyRefreshToken } from './tokens.server';

describe('JWTs', () => {
  it('round-trips access and refresh tokens', async () => {
    const access = await signAccessToken({ userId: 'u1', role: 'student' });
    expect(await verifyAccessToken(access)).toEqual({ userId: 'u1', role: 'student' });
    const refresh = await signRefreshToken(
      { userId: 'u1', sessionId: 's1', generation: 2 },
      new Date(Date.now() + 60_000),
    );
    expect(await verifyRefreshToken(refresh)).toEqual({ userId: 'u1', sessionId: 's1', generation: 2 });
  });

  it('never accepts one kind of token as the other', async () => {
    const access = await signAccessToken({ userId: 'u1', role: 'student' });
    const refresh = await signRefreshToken(
      { userId: 'u1', sessionId: 's1', generation: 0 },
      new Date(Date.now() + 60_000),
    );
    await expect(verifyRefreshToken(access)).rejects.toMatchObject({ status: 401 });
    await expect(verifyAccessToken(refresh)).rejects.toMatchObject({ status: 401 });
  });

  it('rejects tampered, expired and foreign-key tokens', async () => {
    const access = await signAccessToken({ userId: 'u1', role: 'student' });
    const [h, p, s] = access.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ sub: 'u2', role: 'admin', typ: 'access', iss: 'classcast' }),
    ).toString('base64url');
    await expect(verifyAccessToken(`${h}.${forgedPayload}.${s}`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(verifyAccessToken(`${h}.${p}`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    const expired = await signRefreshToken(
      { userId: 'u1', sessionId: 's', generation: 0 },
      new Date(Date.now() - 60_000),
    );
    await expect(verifyRefreshToken(expired)).rejects.toMatchObject({ message: expect.stringMatching(/expired/) });
    const foreign = await new SignJWT({ typ: 'access', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('classcast')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('y'.repeat(40)));
    await expect(verifyAccessToken(foreign)).rejects.toMatchObject({ status: 401 });
  });
});
