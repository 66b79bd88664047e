import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { makeAvatarKey } from './avatar-images';
import { ownProfilePage } from './profile-page.server';

const world = setupServiceContext();
const { aUser } = builders(world);

describe('the /profile page', () => {
  it('shows the caller their own private fields and a no-JS upload form for their own key space', async () => {
    const user = await aUser('student');
    const page = await ownProfilePage(world.ctx, user, null);
    expect(page.profile).toMatchObject({ id: user.id, email: user.email });
    expect(page.bioMax).toBeGreaterThan(0);
    expect(page.avatarForm.url).toBeTruthy();
    expect(JSON.stringify(page.avatarForm.fields)).toContain(`avatars/${user.id}/`);
    expect(page.uploadedKey).toBeNull();
  });

  it('offers to confirm only an uploaded key of the caller’s own', async () => {
    const user = await aUser('student');
    const other = await aUser('student');
    const own = makeAvatarKey(user.id, 'image/png');
    expect((await ownProfilePage(world.ctx, user, own)).uploadedKey).toBe(own);
    expect((await ownProfilePage(world.ctx, user, makeAvatarKey(other.id, 'image/png'))).uploadedKey).toBeNull();
    expect((await ownProfilePage(world.ctx, user, 'avatars/../../etc/passwd')).uploadedKey).toBeNull();
  });

  it('is for signed-in people only', async () => {
    await expectStatus(ownProfilePage(world.ctx, null, null), 401);
  });
});
