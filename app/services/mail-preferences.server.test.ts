/** One-click unsubscribe (mail-preferences.server.ts) on the real adapter: the token is the whole authority. */
import { describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '~/mail/unsubscribe-tokens.server';
import { builders, setupServiceContext } from '../../tests/service-context';
import { describeUnsubscribe, unsubscribe } from './mail-preferences.server';

const world = setupServiceContext();
const { aUser } = builders(world);

describe('unsubscribing from a mail link', () => {
  it('shows what stops, turns only that preference off, and a second click changes nothing', async () => {
    const user = await aUser('student');
    const token = await createUnsubscribeToken({ userId: user.id, preference: 'grades' }, world.ctx.now());
    expect(await describeUnsubscribe(world.ctx, token)).toMatchObject({ preference: 'grades', alreadyOff: false });
    expect(await unsubscribe(world.ctx, token)).toMatchObject({ preference: 'grades', alreadyOff: true });
    const after = await world.ctx.repos.users.getById(user.id);
    expect(after!.mailPreferences).toEqual({ ...user.mailPreferences, grades: false });
    expect(await unsubscribe(world.ctx, token)).toMatchObject({ alreadyOff: true });
    expect(await describeUnsubscribe(world.ctx, token)).toMatchObject({ alreadyOff: true });
  });

  it('refuses a missing, tampered or expired token with 400 and changes nothing', async () => {
    const user = await aUser('student');
    const token = await createUnsubscribeToken({ userId: user.id, preference: 'digest' }, world.ctx.now());
    const later = new Date(world.ctx.now().getTime() + 400 * 86_400_000);
    for (const bad of [undefined, '', `${token}x`, 42]) {
      await expect(unsubscribe(world.ctx, bad)).rejects.toMatchObject({ status: 400 });
    }
    await expect(unsubscribe({ ...world.ctx, now: () => later }, token)).rejects.toMatchObject({ status: 400 });
    expect((await world.ctx.repos.users.getById(user.id))!.mailPreferences).toEqual(user.mailPreferences);
  });
});
