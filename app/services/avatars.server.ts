/**
 * Avatar uploads: the browser sends the image straight to storage (a presigned PUT with JS,
 * an S3 POST-policy form without), the app signs, then checks the stored object at
 * completion — its real size (HEAD) and its first bytes — before the profile points at it.
 * A refused object is deleted; the image replaced by a new one is deleted too.
 */
import { z } from 'zod';
import type { User } from '~/data/repository';
import type { PresignedPostForm } from '~/storage/storage';
import { AppError, forbidden, notFound } from '~/utils/errors';
import { formatBytes } from '~/utils/format';
import { parseInput } from '~/utils/validation';
import { requireUser } from './access.server';
import {
  AVATAR_MAX_BYTES,
  AVATAR_SIGNATURE_BYTES,
  AVATAR_TYPE_LABELS,
  avatarKeyOwner,
  avatarKeyType,
  detectImageType,
  isAvatarType,
  makeAvatarKey,
} from './avatar-images';
import type { ServiceContext } from './context';
import { profileData, type ProfileData } from './profiles.server';

type Ctx = Pick<ServiceContext, 'repos' | 'storage' | 'settings'>;

const TYPES_SAID = 'PNG, JPEG or WebP';

function tooLarge(): AppError {
  const message = `The image is too large (the limit is ${formatBytes(AVATAR_MAX_BYTES)}).`;
  return new AppError('PAYLOAD_TOO_LARGE', message, { fields: { file: [message] } });
}

function notAnImage(): AppError {
  const message = `Only ${TYPES_SAID} images can be used as a profile picture.`;
  return new AppError('UNSUPPORTED_MEDIA', message, { fields: { file: [message] } });
}

const startSchema = z.object({
  contentType: z.string({ error: 'contentType is required.' }).trim().toLowerCase().max(100),
  fileSize: z.coerce
    .number({ error: 'fileSize must be a number.' })
    .int('fileSize must be a whole number of bytes.')
    .min(1, 'The file is empty.'),
});

export interface StartedAvatarUpload {
  fileKey: string;
  presignedUrl: string;
  headers: Record<string, string>;
  expiresIn: number;
  maxBytes: number;
}

/** `POST /api/profile/avatar/upload {contentType, fileSize}`: a PUT whose type and size are signed. */
export async function startAvatarUpload(ctx: Ctx, actor: User | null, input: unknown): Promise<StartedAvatarUpload> {
  const user = requireUser(actor);
  const data = parseInput(startSchema, input);
  if (!isAvatarType(data.contentType)) throw notAnImage();
  if (data.fileSize > AVATAR_MAX_BYTES) throw tooLarge();
  const key = makeAvatarKey(user.id, data.contentType);
  const put = await ctx.storage.presignPut({
    key,
    contentType: data.contentType,
    contentLength: data.fileSize,
    expiresInSeconds: 900,
  });
  return {
    fileKey: key,
    presignedUrl: put.url,
    headers: put.headers,
    expiresIn: put.expiresIn,
    maxBytes: AVATAR_MAX_BYTES,
  };
}

/** The no-JS form: S3 enforces the key, an image/* type and the size, then redirects to /profile. */
export async function avatarPostForm(
  ctx: Ctx,
  actor: User | null,
): Promise<PresignedPostForm & { types: Record<string, string>; maxBytes: number }> {
  const user = requireUser(actor);
  const form = await ctx.storage.presignPostForm({
    key: makeAvatarKey(user.id, null),
    maxBytes: AVATAR_MAX_BYTES,
    redirectUrl: `${ctx.settings.appUrl}/profile`,
    contentTypePrefix: 'image/',
    expiresInSeconds: 3600,
  });
  return { ...form, types: { ...AVATAR_TYPE_LABELS }, maxBytes: AVATAR_MAX_BYTES };
}

const completeSchema = z.object({
  key: z.string({ error: 'key is required.' }).trim().min(1, 'key is required.').max(200, 'That is not an upload key.'),
});

function requireOwnAvatarKey(user: User, key: string): void {
  const owner = avatarKeyOwner(key);
  if (!owner) {
    throw new AppError('VALIDATION_ERROR', 'That upload was not recognised. Upload the image again.', {
      fields: { key: ['Invalid upload key.'] },
    });
  }
  if (owner !== user.id) throw forbidden('That upload is not yours.');
}

async function refuse(ctx: Ctx, key: string, error: AppError): Promise<never> {
  await ctx.storage.delete(key).catch(() => undefined);
  throw error;
}

/**
 * `POST /api/profile/avatar/complete {key}`: the object must exist, be at most the limit
 * (by HEAD, the stored truth) and start like a PNG/JPEG/WebP of the type its key promises.
 * Completing the current avatar again is a no-op.
 */
export async function completeAvatarUpload(ctx: Ctx, actor: User | null, input: unknown): Promise<ProfileData> {
  const user = requireUser(actor);
  const { key } = parseInput(completeSchema, input);
  requireOwnAvatarKey(user, key);
  if (user.avatar === key) return profileData(user, true);
  const info = await ctx.storage.head(key);
  if (!info) throw notFound('That upload');
  if (info.size > AVATAR_MAX_BYTES) return refuse(ctx, key, tooLarge());
  // The no-JS policy only pins an `image/` prefix: a crafted form could store image/svg+xml,
  // which storage would then serve as a document. Only the three raster types are kept.
  if (info.size === 0 || !isAvatarType(info.contentType ?? '')) return refuse(ctx, key, notAnImage());
  const sniffed = detectImageType(await ctx.storage.readFirstBytes(key, AVATAR_SIGNATURE_BYTES));
  const promised = avatarKeyType(key);
  if (!sniffed || (promised && sniffed !== promised)) return refuse(ctx, key, notAnImage());
  const previous = user.avatar;
  const updated = await ctx.repos.users.update(user.id, { avatar: key });
  if (previous && avatarKeyOwner(previous) === user.id) await ctx.storage.delete(previous).catch(() => undefined);
  return profileData(updated, true);
}

export async function removeAvatar(ctx: Ctx, actor: User | null): Promise<ProfileData> {
  const user = requireUser(actor);
  if (!user.avatar) return profileData(user, true);
  const previous = user.avatar;
  const updated = await ctx.repos.users.update(user.id, { avatar: null });
  if (avatarKeyOwner(previous) === user.id) await ctx.storage.delete(previous).catch(() => undefined);
  return profileData(updated, true);
}

/**
 * The key S3 sent the browser back with after a no-JS upload, if it is one of the caller's
 * (the page then asks them to confirm it): anything else is ignored.
 */
export function uploadedAvatarKey(user: User, key: string | null): string | null {
  return key && avatarKeyOwner(key) === user.id && key !== user.avatar ? key : null;
}

/**
 * Where `/users/:userId/avatar` redirects a signed-in viewer: a short-lived storage URL.
 * 404 when the user has no avatar we uploaded.
 */
export async function avatarDownloadUrl(ctx: Ctx, actor: User | null, userId: string): Promise<string> {
  requireUser(actor);
  const person = userId ? await ctx.repos.users.getById(userId) : null;
  const key = person?.avatar;
  if (!person || !key || avatarKeyOwner(key) !== person.id) throw notFound('Avatar');
  const type = avatarKeyType(key);
  return ctx.storage.presignGet(key, { expiresInSeconds: 3600, ...(type ? { responseContentType: type } : {}) });
}
