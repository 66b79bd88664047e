/**
 * /admin/users and /api/admin/users/:id (issue 16): an admin changes someone's role,
 * disables or re-enables their account, and sends them a password reset mail. Disabling
 * revokes every session of theirs at once, so an open browser is signed out on its next
 * request, not when its cookie expires.
 */
import { z } from 'zod';
import { ROLES, type User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireAdmin, requireUserAdministration } from './access.server';
import type { ServiceContext } from './context';
import { sendPasswordResetMail } from './password-reset.server';
import { displayName } from './people';

/** What the admin pages and the API show of a user (never the password hash). */
export interface AdminUserView {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  fullName: string;
  role: User['role'];
  emailVerified: boolean;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
}

export function toAdminUserView(user: User): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    fullName: displayName(user),
    role: user.role,
    emailVerified: user.emailVerified,
    disabled: user.disabledAt !== null,
    disabledAt: user.disabledAt,
    createdAt: user.createdAt,
  };
}

/** A form sends "true"/"false" (or "on"); JSON sends a boolean. */
const flag = z.preprocess(
  (v) => (v === 'true' || v === 'on' ? true : v === 'false' ? false : v),
  z.boolean({ error: 'disabled must be true or false.' }),
);

const patchSchema = z
  .object({
    role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}.` }).optional(),
    disabled: flag.optional(),
  })
  .refine((p) => p.role !== undefined || p.disabled !== undefined, { message: 'Give a role or disabled.' });

export async function getUserForAdmin(ctx: ServiceContext, actor: User | null, userId: string) {
  const admin = requireAdmin(actor);
  const user = userId ? await ctx.repos.users.getById(userId) : null;
  if (!user) throw new AppError('NOT_FOUND', 'User was not found.');
  return { user: toAdminUserView(user), isSelf: user.id === admin.id };
}

/** PATCH {role?, disabled?}: one change or both; the admin's own role and access are refused. */
export async function updateUserAsAdmin(
  ctx: ServiceContext,
  actor: User | null,
  userId: string,
  input: unknown,
): Promise<AdminUserView> {
  requireAdmin(actor);
  const change = parseInput(patchSchema, input);
  const { target } = await requireUserAdministration(ctx, actor, userId, change);
  const patch: { role?: User['role']; disabledAt?: string | null } = {};
  if (change.role !== undefined && change.role !== target.role) patch.role = change.role;
  if (change.disabled !== undefined && change.disabled !== (target.disabledAt !== null)) {
    patch.disabledAt = change.disabled ? ctx.now().toISOString() : null;
  }
  const updated = Object.keys(patch).length ? await ctx.repos.users.update(target.id, patch) : target;
  // Revoked whenever the account ends up disabled, so a retry also cleans up a session
  // that slipped in between.
  if (updated.disabledAt) await ctx.repos.authSessions.revokeAllForUser(updated.id);
  return toAdminUserView(updated);
}

/** "Send password reset mail": the accounts service decides whether and what is sent. */
export async function sendPasswordResetAsAdmin(ctx: ServiceContext, actor: User | null, userId: string) {
  requireAdmin(actor);
  await sendPasswordResetMail(ctx, actor, userId);
}
