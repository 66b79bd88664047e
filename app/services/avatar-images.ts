/**
 * Avatar images: which types we take, how big, where they live and how to tell one from its
 * first bytes. Keys are `avatars/<userId>/<ulid>.<ext>`, the shape `avatarUrl()` accepts.
 */
import { newId } from '~/data/ids';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

export const AVATAR_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
} as const;
export type AvatarType = keyof typeof AVATAR_TYPES;

/** How the types are named to people. */
export const AVATAR_TYPE_LABELS: Record<AvatarType, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
};

/** Enough bytes to see a PNG, JPEG or WebP signature. */
export const AVATAR_SIGNATURE_BYTES = 12;

/** The no-JS form cannot say the file's type before it is chosen, so its key ends `.img`. */
const UNTYPED_EXT = 'img';
const EXT_TYPES: Record<string, AvatarType> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

const KEY = /^avatars\/([0-9A-HJKMNP-TV-Z]{26})\/[0-9A-HJKMNP-TV-Z]{26}\.(png|jpg|webp|img)$/;

export function isAvatarType(type: string): type is AvatarType {
  return Object.hasOwn(AVATAR_TYPES, type);
}

export function makeAvatarKey(userId: string, type: AvatarType | null): string {
  return `avatars/${userId}/${newId()}.${type ? AVATAR_TYPES[type] : UNTYPED_EXT}`;
}

/** The owner named by an avatar key we issued, or null for anything else. */
export function avatarKeyOwner(key: string): string | null {
  return KEY.exec(key)?.[1] ?? null;
}

/** The type a key's extension promises (null for the no-JS `.img` keys). */
export function avatarKeyType(key: string): AvatarType | null {
  return EXT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? null;
}

/** What the bytes really are, whatever the uploader declared. */
export function detectImageType(bytes: Uint8Array): AvatarType | null {
  const at = (i: number, ...values: number[]) => values.every((v, j) => bytes[i + j] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}
