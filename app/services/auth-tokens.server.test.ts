import { describe, expect, it } from 'vitest';
import { builders, days, expectStatus, setupServiceContext } from '../../tests/service-context';
import { issueTokens, refreshTokens, revokeRefreshToken } from './auth-tokens.server';

const world = setupServiceContext();
const { aUser } = builders(world);

describe('refresh rotation, end to end', () => {
  it('the rotated token works, and the one after it', async () => {
    const user = await aUser('student');
    const first = await issueTokens(world.ctx, user);
    const second = await refreshTokens(world.ctx, first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = await refreshTokens(world.ctx, second.refreshToken);
    expect(third.accessToken).toBeTruthy();
    await refreshTokens(world.ctx, third.refreshToken);
  });

  it('presenting a used token revokes the session: the newest token stops working too', async () => {
    const user = await aUser('student');
    const first = await issueTokens(world.ctx, user);
    const second = await refreshTokens(world.ctx, first.refreshToken);
    await expectStatus(refreshTokens(world.ctx, first.refreshToken), 401);
    await expectStatus(refreshTokens(world.ctx, second.refreshToken), 401);
  });

  it('sessions are independent: reuse on one device does not sign out another', async () => {
    const user = await aUser('student');
    const phone = await issueTokens(world.ctx, user);
    const laptop = await issueTokens(world.ctx, user);
    await refreshTokens(world.ctx, phone.refreshToken);
    await expectStatus(refreshTokens(world.ctx, phone.refreshToken), 401);
    await refreshTokens(world.ctx, laptop.refreshToken);
  });

  it('logout revokes the session', async () => {
    const user = await aUser('student');
    const pair = await issueTokens(world.ctx, user);
    await revokeRefreshToken(world.ctx, pair.refreshToken);
    await expectStatus(refreshTokens(world.ctx, pair.refreshToken), 401);
  });

  it('an expired session is refused', async () => {
    const user = await aUser('student');
    const pair = await issueTokens(world.ctx, user);
    world.clock.advance(days(31));
    try {
      await expect(refreshTokens(world.ctx, pair.refreshToken)).rejects.toMatchObject({ status: 401 });
    } finally {
      world.clock.reset();
    }
  });

  it('junk is 400 (missing) or 401 (not a token of ours)', async () => {
    await expectStatus(refreshTokens(world.ctx, undefined), 400);
    await expectStatus(refreshTokens(world.ctx, 'not.a.jwt'), 401);
  });
});
