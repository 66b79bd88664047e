/**
 * The signed-in user's own settings: name, password, mail preferences, sessions and deleting
 * the account. Every function acts on the ACTOR; no input names a user, so nobody can change
 * another person's settings by editing an id (rules in access.server.ts).
 */
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '~/auth/password.server';
import { passwordSchema } from '~/auth/validation';
import type { AuthSession, MailPreferences, User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireMayDeleteOwnAccount, requireOwnSession, requireUser } from './access.server';
import type { ServiceContext } from './context';
import { updateProfile } from './profiles.server';

type Actor = User | null | undefined;

/** What a deleted account shows wherever its work is kept (submissions, posts, grades). */
export const DELETED_USER_NAME = { firstName: 'Deleted', lastName: 'user' } as const;

export const deletedUserEmail = (userId: string) => `deleted-${userId.toLowerCase()}@deleted.invalid`;

// --- name ---

/** `{firstName, lastName}` of the actor, through the profile service (same name rules). */
export async function changeName(ctx: ServiceContext, actor: Actor, input: Record<string, unknown>): Promise<User> {
  const user = requireUser(actor);
  await updateProfile(ctx, user, { firstName: input.firstName, lastName: input.lastName });
  const updated = await ctx.repos.users.getById(user.id);
  if (!updated) throw new AppError('NOT_FOUND', 'Your account was not found.');
  return updated;
}

// --- password ---

/** Five wrong current passwords per account in 15 minutes, then a wait: guessing is slow. */
const passwordAttempts = new RateLimiterMemory({ keyPrefix: 'change-password', points: 5, duration: 15 * 60 });

const changePasswordSchema = z.object({
  currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.'),
  newPassword: passwordSchema,
});

/**
 * Checks the current password, sets the new one (signup's rule) and signs out every OTHER
 * session (`currentSessionId` stays). Accounts without a password (Cognito, LTI) are told so.
 */
export async function changePassword(
  ctx: ServiceContext,
  actor: Actor,
  currentSessionId: string | null,
  input: unknown,
): Promise<{ revokedSessions: number }> {
  const user = requireUser(actor);
  if (!user.passwordHash) {
    throw new AppError(
      'VALIDATION_ERROR',
      'Your account signs in without a ClassCast password (through your school or LMS), so there is no password to change here.',
    );
  }
  const data = parseInput(changePasswordSchema, input);
  const state = await passwordAttempts.get(user.id);
  if (state && state.remainingPoints <= 0) throw rateLimited(state);
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    await passwordAttempts.penalty(user.id, 1);
    throw new AppError('INVALID_CREDENTIALS', 'Your current password is not correct.', {
      fields: { currentPassword: ['Your current password is not correct.'] },
    });
  }
  await passwordAttempts.delete(user.id);
  await ctx.repos.users.update(user.id, { passwordHash: await hashPassword(data.newPassword) });
  const revokedSessions = await ctx.repos.authSessions.revokeAllForUser(
    user.id,
    currentSessionId ? { exceptId: currentSessionId } : undefined,
  );
  return { revokedSessions };
}

function rateLimited(res: RateLimiterRes): AppError {
  return new AppError('RATE_LIMITED', 'Too many wrong passwords. Please wait a few minutes and try again.', {
    retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000),
  });
}

// --- mail preferences ---

/** Form checkboxes ("on") and JSON booleans both count; an absent box is off. */
const checkbox = z
  .union([z.boolean(), z.enum(['on', 'true', 'false'])], { error: 'Each mail preference is either on or off.' })
  .transform((v) => v === true || v === 'on' || v === 'true');

const preferencesSchema = z.object({
  grades: checkbox,
  messages: checkbox,
  announcements: checkbox,
  digest: checkbox,
});

export async function updateMailPreferences(
  ctx: ServiceContext,
  actor: Actor,
  input: unknown,
): Promise<MailPreferences> {
  const user = requireUser(actor);
  const given = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const mailPreferences = parseInput(preferencesSchema, {
    grades: given.grades ?? false,
    messages: given.messages ?? false,
    announcements: given.announcements ?? false,
    digest: given.digest ?? false,
  });
  const updated = await ctx.repos.users.update(user.id, { mailPreferences });
  return updated.mailPreferences;
}

// --- sessions ---

export interface SessionView {
  id: string;
  device: string;
  lastSeenAt: string;
  createdAt: string;
  current: boolean;
}

/** A short name for the browser and system a User-Agent describes ("Firefox on Linux"). */
export function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /curl\//i.test(ua)
              ? 'curl'
              : null;
  const system = /iPhone|iPad/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? ua.slice(0, 40);
}

export async function listMySessions(
  ctx: ServiceContext,
  actor: Actor,
  currentSessionId: string | null,
): Promise<SessionView[]> {
  const user = requireUser(actor);
  const sessions = await ctx.repos.authSessions.listActiveByUser(user.id, ctx.now().toISOString());
  return sessions.map((s: AuthSession) => ({
    id: s.id,
    device: deviceLabel(s.userAgent),
    lastSeenAt: s.lastSeenAt,
    createdAt: s.createdAt,
    current: s.id === currentSessionId,
  }));
}

export async function signOutOtherSessions(
  ctx: ServiceContext,
  actor: Actor,
  currentSessionId: string | null,
): Promise<{ revokedSessions: number }> {
  const user = requireUser(actor);
  const revokedSessions = await ctx.repos.authSessions.revokeAllForUser(
    user.id,
    currentSessionId ? { exceptId: currentSessionId } : undefined,
  );
  return { revokedSessions };
}

/** Signs out one of the actor's own sessions; another user's (or an unknown) id is 404. */
export async function signOutSession(ctx: ServiceContext, actor: Actor, sessionId: unknown): Promise<void> {
  const id = typeof sessionId === 'string' ? sessionId : '';
  const session = requireOwnSession(actor, id ? await ctx.repos.authSessions.get(id) : null);
  await ctx.repos.authSessions.revoke(session.id);
}

// --- delete my account ---

const deleteSchema = z.object({
  confirm: z.literal('DELETE', { error: 'Type DELETE to confirm.' }),
});

async function ownedActiveCourses(ctx: ServiceContext, user: User): Promise<number> {
  const courseIds: string[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await ctx.repos.enrollments.listByUser(user.id, cursor ? { cursor } : undefined);
    for (const e of page.items) if (e.role === 'instructor') courseIds.push(e.courseId);
    cursor = page.nextCursor;
  } while (cursor);
  if (!courseIds.length) return 0;
  const courses = await ctx.repos.courses.getMany(courseIds);
  return courses.filter((c) => c.instructorId === user.id && !c.archivedAt).length;
}

/**
 * Deletes the actor's account by anonymising it (ADR 026): signed out everywhere, name
 * "Deleted user", a dead address, no password, avatar or bio, disabled, no mail. The row
 * stays so submissions, grades and posts keep their author, shown as "Deleted user".
 */
export async function deleteMyAccount(ctx: ServiceContext, actor: Actor, input: unknown): Promise<void> {
  const user = requireUser(actor);
  parseInput(deleteSchema, input ?? {});
  requireMayDeleteOwnAccount(user, await ownedActiveCourses(ctx, user));
  await ctx.repos.authSessions.revokeAllForUser(user.id);
  await ctx.repos.users.changeEmail(user.id, deletedUserEmail(user.id), false);
  await ctx.repos.users.update(user.id, {
    ...DELETED_USER_NAME,
    passwordHash: null,
    avatar: null,
    bio: null,
    studentId: null,
    department: null,
    disabledAt: ctx.now().toISOString(),
    mailPreferences: { grades: false, messages: false, announcements: false, digest: false },
  });
}
