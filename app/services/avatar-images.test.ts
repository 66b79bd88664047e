import { describe, expect, it } from 'vitest';
import { avatarKeyOwner, avatarKeyType, detectImageType, makeAvatarKey } from './avatar-images';
import { avatarUrl } from './people';

const USER = '01JABCDEFGHJKMNPQRSTVWXYZ0';

describe('avatar images', () => {
  it('tells PNG, JPEG and WebP from their first bytes, and nothing else', () => {
    expect(detectImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBe(
      'image/png',
    );
    expect(detectImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(detectImageType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(detectImageType(Buffer.from('RIFF\x10\x00\x00\x00AVI LIST', 'latin1'))).toBeNull();
    expect(detectImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(detectImageType(new Uint8Array())).toBeNull();
  });

  it('makes keys avatarUrl() accepts, and reads their owner and promised type back', () => {
    const key = makeAvatarKey(USER, 'image/webp');
    expect(key).toMatch(new RegExp(`^avatars/${USER}/[0-9A-Z]{26}\\.webp$`));
    expect(avatarKeyOwner(key)).toBe(USER);
    expect(avatarKeyType(key)).toBe('image/webp');
    expect(avatarUrl({ id: USER, avatar: key })).toMatch(new RegExp(`^/users/${USER}/avatar\\?v=`));
    const untyped = makeAvatarKey(USER, null);
    expect(avatarKeyType(untyped)).toBeNull();
    expect(avatarUrl({ id: USER, avatar: untyped })).not.toBeNull();
    for (const bad of [
      'avatars/x/y.png',
      `videos/${USER}/a.png`,
      `avatars/${USER}/../../etc.png`,
      `avatars/${USER}/${USER}.svg`,
    ]) {
      expect(avatarKeyOwner(bad)).toBeNull();
    }
  });
});
