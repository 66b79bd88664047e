/**
 * How a person appears next to what they wrote (feed items, comments, posts, connections):
 * one shape, built in one place, never with their email or other private fields.
 */
import type { Role, User } from '~/data/repository';

export interface PersonSummary {
  id: string;
  name: string;
  /** URL of their avatar image, or null (show initials). */
  avatar: string | null;
  role: Role;
}

/** Avatar objects live at `avatars/<userId>/<file>` in the storage bucket (profile uploads). */
const AVATAR_KEY = /^avatars\/[0-9A-HJKMNP-TV-Z]{26}\/[A-Za-z0-9._-]{1,80}$/;

/**
 * Where the browser fetches a user's avatar: the profile route redirects it to a short-lived
 * storage URL. Anything stored in `avatar` that is not one of our upload keys (an old
 * client's arbitrary URL, say) is not shown, so no page ever points at a third-party host.
 */
export function avatarUrl(user: Pick<User, 'id' | 'avatar'>): string | null {
  if (!user.avatar || !AVATAR_KEY.test(user.avatar) || !user.avatar.startsWith(`avatars/${user.id}/`)) return null;
  const version = user.avatar.slice(user.avatar.lastIndexOf('/') + 1);
  return `/users/${user.id}/avatar?v=${encodeURIComponent(version)}`;
}

export function displayName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}

export function personSummary(user: Pick<User, 'id' | 'firstName' | 'lastName' | 'avatar' | 'role'>): PersonSummary {
  return { id: user.id, name: displayName(user), avatar: avatarUrl(user), role: user.role };
}
