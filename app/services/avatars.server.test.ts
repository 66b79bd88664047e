import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { AVATAR_MAX_BYTES, makeAvatarKey } from './avatar-images';
import {
  avatarDownloadUrl,
  avatarPostForm,
  completeAvatarUpload,
  removeAvatar,
  startAvatarUpload,
  uploadedAvatarKey,
} from './avatars.server';

const world = setupServiceContext();
const { aUser, putObject } = builders(world);

function pngBytes(size = 256): Buffer<ArrayBuffer> {
  const bytes = Buffer.alloc(size, 1);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

async function uploadPng(user: Awaited<ReturnType<typeof aUser>>, body = pngBytes()) {
  const started = await startAvatarUpload(world.ctx, user, { contentType: 'image/png', fileSize: body.length });
  const res = await fetch(started.presignedUrl, { method: 'PUT', headers: started.headers, body });
  expect(res.status).toBe(200);
  return started.fileKey;
}

describe('avatar upload', () => {
  it('presigns a PUT, checks the stored image and points the profile at it', async () => {
    const user = await aUser('student');
    const key = await uploadPng(user);
    expect(key).toMatch(new RegExp(`^avatars/${user.id}/[0-9A-Z]{26}\\.png$`));
    const profile = await completeAvatarUpload(world.ctx, user, { key });
    expect(profile.avatar).toMatch(new RegExp(`^/users/${user.id}/avatar\\?v=`));
    const stored = await world.ctx.repos.users.getById(user.id);
    expect(stored?.avatar).toBe(key);

    const viewer = await aUser('student');
    const url = await avatarDownloadUrl(world.ctx, viewer, user.id);
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(0, 8)).toEqual(pngBytes().subarray(0, 8));
    // Completing the same key again is harmless.
    expect((await completeAvatarUpload(world.ctx, stored, { key })).avatar).toBe(profile.avatar);
  });

  it('refuses other types and sizes before signing anything', async () => {
    const user = await aUser('student');
    await expectStatus(startAvatarUpload(world.ctx, user, { contentType: 'image/svg+xml', fileSize: 100 }), 415);
    await expectStatus(startAvatarUpload(world.ctx, user, { contentType: 'text/html', fileSize: 100 }), 415);
    await expectStatus(
      startAvatarUpload(world.ctx, user, { contentType: 'image/png', fileSize: AVATAR_MAX_BYTES + 1 }),
      413,
    );
    await expectStatus(startAvatarUpload(world.ctx, user, { contentType: 'image/png', fileSize: 0 }), 400);
    await expectStatus(startAvatarUpload(world.ctx, user, { contentType: 'image/png' }), 400);
    await expectStatus(startAvatarUpload(world.ctx, null, { contentType: 'image/png', fileSize: 1 }), 401);
  });

  it("deletes what is not the image it claims, or too big by HEAD; refuses someone else's key", async () => {
    const user = await aUser('student');
    const fake = makeAvatarKey(user.id, 'image/png');
    await putObject(fake, Buffer.from('<svg onload=alert(1)>'), 'image/png');
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: fake }), 415);
    expect(await world.ctx.storage.head(fake)).toBeNull();

    const big = makeAvatarKey(user.id, 'image/png');
    await putObject(big, pngBytes(AVATAR_MAX_BYTES + 10), 'image/png');
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: big }), 413);
    expect(await world.ctx.storage.head(big)).toBeNull();

    // A PNG stored as SVG (a crafted no-JS form) is refused even though the bytes sniff as PNG.
    const disguised = makeAvatarKey(user.id, null);
    await putObject(disguised, pngBytes(), 'image/svg+xml');
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: disguised }), 415);
    expect(await world.ctx.storage.head(disguised)).toBeNull();

    const other = await aUser('student');
    const theirs = await uploadPng(other);
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: theirs }), 403);
    expect(await world.ctx.storage.head(theirs)).not.toBeNull();
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: 'videos/x/y' }), 400);
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: makeAvatarKey(user.id, 'image/png') }), 404);
    expect((await world.ctx.repos.users.getById(user.id))?.avatar).toBeNull();
  });

  it('a new picture replaces and deletes the old one; removing deletes it too', async () => {
    let user = await aUser('student');
    const first = await uploadPng(user);
    await completeAvatarUpload(world.ctx, user, { key: first });
    user = (await world.ctx.repos.users.getById(user.id))!;
    const second = await uploadPng(user);
    await completeAvatarUpload(world.ctx, user, { key: second });
    expect(await world.ctx.storage.head(first)).toBeNull();
    user = (await world.ctx.repos.users.getById(user.id))!;
    expect((await removeAvatar(world.ctx, user)).avatar).toBeNull();
    expect(await world.ctx.storage.head(second)).toBeNull();
    await expectStatus(avatarDownloadUrl(world.ctx, user, user.id), 404);
  });

  it('the no-JS form is an image-only POST policy back to /profile, whose key only its owner may confirm', async () => {
    const user = await aUser('student');
    const form = await avatarPostForm(world.ctx, user);
    expect(form.fields.key).toMatch(new RegExp(`^avatars/${user.id}/[0-9A-Z]{26}\\.img$`));
    expect(form.fields.success_action_redirect).toBe('http://127.0.0.1:3000/profile');
    expect(uploadedAvatarKey(user, form.fields.key)).toBe(form.fields.key);
    // A PNG stored as SVG (a crafted no-JS form) is refused even though the bytes sniff as PNG.
    const disguised = makeAvatarKey(user.id, null);
    await putObject(disguised, pngBytes(), 'image/svg+xml');
    await expectStatus(completeAvatarUpload(world.ctx, user, { key: disguised }), 415);
    expect(await world.ctx.storage.head(disguised)).toBeNull();

    const other = await aUser('student');
    expect(uploadedAvatarKey(other, form.fields.key)).toBeNull();
    expect(uploadedAvatarKey(user, 'avatars/../x')).toBeNull();

    // S3 stored it (the policy allowed it): completion sniffs the bytes, whatever the key says.
    await putObject(form.fields.key, pngBytes(), 'image/png');
    expect((await completeAvatarUpload(world.ctx, user, { key: form.fields.key })).avatar).not.toBeNull();
  });
});
