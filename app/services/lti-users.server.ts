/**
 * The ClassCast user an LMS account (issuer, sub) stands for, shared by the launch (C2,
 * lti-launch.server.ts) and roster sync (lti-roster.server.ts) so both make the same person
 * the same way. The link (issuer, subject) → user id is the identity; the email is only data.
 *
 * An LMS email that already belongs to a ClassCast account is NOT linked to that account: an
 * LMS (or anyone who administers one) can put any address on a user, and linking on it would
 * hand them someone else's account, submissions and grades. Such a person gets their own user
 * with a placeholder address under `.invalid` (RFC 2606: it can never receive mail) until an
 * administrator merges them deliberately. See docs/decisions/024-lti-advantage.md.
 */
import { createHash } from 'node:crypto';
import { DataConflictError } from '~/data/errors';
import { normalizeEmail, type Role, type User } from '~/data/repository';
import { logWarning } from '~/utils/log.server';
import type { ServiceContext } from './context';

type Ctx = Pick<ServiceContext, 'repos'>;

export interface LtiPerson {
  issuer: string;
  /** The platform's stable user id (`sub` in a launch, `user_id` in NRPS). */
  subject: string;
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  email?: string | null;
  /** The ClassCast role the LMS roles map to (student, instructor, or admin for institution admins). */
  role: Role;
}

/** Names as long as signup allows. */
const MAX_NAME = 80;
const ROLE_RANK: Record<Role, number> = { student: 0, instructor: 1, admin: 2 };

/** The domain of addresses that stand for "no usable email" (RFC 2606 reserves .invalid). */
export const PLACEHOLDER_EMAIL_DOMAIN = 'lti.invalid';

/**
 * One address per (issuer, subject), so two processes creating the same person at once clash
 * on it (the adapters' unique email) instead of making two users.
 */
export function placeholderEmail(issuer: string, subject: string): string {
  const digest = createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 24);
  return `lti-${digest}@${PLACEHOLDER_EMAIL_DOMAIN}`;
}

export function isPlaceholderEmail(email: string): boolean {
  return email.endsWith(`@${PLACEHOLDER_EMAIL_DOMAIN}`);
}

function clip(value: string | null | undefined): string {
  return (value ?? '').trim().slice(0, MAX_NAME);
}

function namesOf(person: LtiPerson): { firstName: string; lastName: string } {
  const given = clip(person.givenName);
  const family = clip(person.familyName);
  if (given || family) return { firstName: given || family, lastName: given ? family : '' };
  const [first = '', ...rest] = clip(person.name).split(/\s+/);
  return { firstName: first || 'LMS user', lastName: rest.join(' ').slice(0, MAX_NAME) };
}

/** A plausible address, or null: LMSs send empty strings and placeholders of their own. */
function usableEmail(email: string | null | undefined): string | null {
  const value = normalizeEmail(email ?? '');
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254 ? value : null;
}

/**
 * The LMS decides someone teaches: their role is raised to match, never lowered (a person who
 * teaches one course and takes another stays an instructor; an admin stays an admin).
 */
async function withRoleAtLeast(ctx: Ctx, user: User, role: Role): Promise<User> {
  return ROLE_RANK[role] > ROLE_RANK[user.role] ? ctx.repos.users.update(user.id, { role }) : user;
}

async function linkedUser(ctx: Ctx, issuer: string, subject: string): Promise<User | null> {
  const userId = await ctx.repos.lti.findUserLink(issuer, subject);
  return userId ? ctx.repos.users.getById(userId) : null;
}

/** Links the user; when someone else linked the account first, theirs is the one. */
async function link(ctx: Ctx, person: LtiPerson, user: User): Promise<User> {
  try {
    await ctx.repos.lti.linkUser(person.issuer, person.subject, user.id);
    return user;
  } catch (error) {
    if (!(error instanceof DataConflictError)) throw error;
    const winner = await linkedUser(ctx, person.issuer, person.subject);
    if (!winner) throw error;
    if (winner.id !== user.id) logWarning('lti user created twice; the first link stands', { userId: user.id });
    return winner;
  }
}

/**
 * The user linked to (issuer, subject), or a new one created from the LMS's name and email
 * (placeholder email when it is missing or already a ClassCast account's) and linked. Safe to
 * call concurrently for the same person.
 */
export async function findOrCreateLtiUser(ctx: Ctx, person: LtiPerson): Promise<User> {
  const known = await linkedUser(ctx, person.issuer, person.subject);
  if (known) return withRoleAtLeast(ctx, known, person.role);
  const placeholder = placeholderEmail(person.issuer, person.subject);
  const real = usableEmail(person.email);
  const email = real && !(await ctx.repos.users.getByEmail(real)) ? real : placeholder;
  const fields = { ...namesOf(person), role: person.role, passwordHash: null, emailVerified: false };
  for (const address of email === placeholder ? [placeholder] : [email, placeholder]) {
    try {
      const user = await ctx.repos.users.create({ ...fields, email: address });
      return link(ctx, person, user);
    } catch (error) {
      if (!(error instanceof DataConflictError)) throw error;
      // A parallel first launch or sync of the same person may have won: theirs is ours.
      const raced = await linkedUser(ctx, person.issuer, person.subject);
      if (raced) return withRoleAtLeast(ctx, raced, person.role);
      if (address === placeholder) {
        // The placeholder names this (issuer, subject) alone: its holder is this person, not linked yet.
        const holder = await ctx.repos.users.getByEmail(placeholder);
        if (holder) return withRoleAtLeast(ctx, await link(ctx, person, holder), person.role);
        throw error;
      }
      // The real address was taken in the meantime by an account of its own: the placeholder it is.
    }
  }
  throw new Error('unreachable: the placeholder address is always tried last');
}
