/**
 * Roster sync (LTI Names and Role Provisioning Services 2.0): the course's instructor pulls
 * the LMS course's member list and ClassCast follows it — new members are created and
 * enrolled, role changes move the enrolment, and members the LMS calls Inactive/Deleted or no
 * longer lists are only marked inactive (never un-enrolled: their submissions and grades stay
 * reachable, and the LMS may list them again).
 *
 * The whole list is fetched before anything is written, so an LMS that fails part-way changes
 * nothing. Each member is then its own idempotent step: a sync that stops half-way (a crash, a
 * busy data store) is finished by running it again.
 */
import { LtiError } from '~/auth/lti/errors';
import { createPlatformClient, type NrpsMember, type PlatformClient } from '~/auth/lti/platform-client';
import { courseRoleFor } from '~/auth/lti/roles';
import { DataNotFoundError } from '~/data/errors';
import type { CourseRole, LtiContext, LtiMembership, LtiPlatform, LtiRepository, User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { logInfo, logWarning } from '~/utils/log.server';
import { requireRosterSyncer } from './access.server';
import type { ServiceContext } from './context';
import { currentSigningKey } from './lti-keys.server';
import { findOrCreateLtiUser } from './lti-users.server';

type Ctx = Pick<ServiceContext, 'repos' | 'now' | 'settings'>;

export interface RosterSyncResult {
  /** Members newly enrolled in the course. */
  added: number;
  /** Members whose course role changed, or who are active in the LMS again. */
  updated: number;
  /** Members now marked inactive (the LMS says Inactive/Deleted, or no longer lists them). */
  deactivated: number;
  /** Members already as the LMS says. */
  unchanged: number;
  /** Members with no ClassCast course role (e.g. only Mentor or ContentDeveloper): left out. */
  skipped: number;
  platformName: string;
}

/** Memberships read per page when comparing with the LMS's list; a course has a few hundred at most. */
const MEMBERSHIP_PAGE = 100;

/**
 * One client per process (per adapter, so a test file's world gets its own): it caches the
 * platform's access tokens until shortly before they expire.
 */
const clients = new WeakMap<LtiRepository, PlatformClient>();

function clientFor(ctx: Ctx): PlatformClient {
  let client = clients.get(ctx.repos.lti);
  if (!client) {
    client = createPlatformClient({ now: ctx.now });
    clients.set(ctx.repos.lti, client);
  }
  return client;
}

const NOT_FROM_LMS =
  'This course was not opened from an LMS, so there is no LMS roster to sync. Open ClassCast from your LMS course first.';

/** The LMS side of a course: its context and registration, or why the roster cannot be synced. */
async function lmsCourse(ctx: Ctx, courseId: string): Promise<{ context: LtiContext; platform: LtiPlatform }> {
  const context = await ctx.repos.lti.findContextByCourse(courseId);
  if (!context) throw new AppError('CONFLICT', NOT_FROM_LMS);
  const platform = await ctx.repos.lti.getPlatform(context.platformId);
  if (!platform) {
    throw new AppError(
      'CONFLICT',
      'The LMS registration this course came from was removed. Ask an administrator to register the LMS again.',
    );
  }
  if (!context.membershipsUrl) {
    throw new AppError(
      'CONFLICT',
      `${platform.name} does not offer its roster (Names and Role Provisioning) for this course. Ask your LMS administrator to enable it for ClassCast, then open ClassCast from the course again.`,
    );
  }
  return { context, platform };
}

async function fetchMembers(ctx: Ctx, platform: LtiPlatform, membershipsUrl: string): Promise<NrpsMember[]> {
  const signingKey = await currentSigningKey(ctx);
  try {
    return await clientFor(ctx).listMembers(platform, membershipsUrl, signingKey);
  } catch (error) {
    if (!(error instanceof LtiError)) throw error;
    logWarning('lti roster fetch failed', { platformId: platform.id, code: error.code, detail: error.detail });
    if (error.code === 'PLATFORM_UNAVAILABLE') {
      throw new AppError(
        'LMS_UNAVAILABLE',
        `${platform.name} cannot be reached right now. Nothing was changed; try the roster sync again in a few minutes.`,
      );
    }
    throw new AppError(
      'LMS_REJECTED',
      `${platform.name} refused the roster request. Nothing was changed. Ask your LMS administrator to check that ClassCast's developer key includes the Names and Role Provisioning scope.`,
    );
  }
}

/**
 * The course page reads at most this many pages of memberships (1,000 members), so its cost
 * stays bounded for any class; the sync itself reads them all.
 */
const PAGE_MEMBERSHIP_PAGES = 10;

async function allMemberships(ctx: Ctx, courseId: string, maxPages = Infinity): Promise<Map<string, LtiMembership>> {
  const byUser = new Map<string, LtiMembership>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await ctx.repos.lti.listMemberships(courseId, { limit: MEMBERSHIP_PAGE, cursor });
    for (const m of page.items) byUser.set(m.userId, m);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ++pages < maxPages);
  return byUser;
}

type Outcome = 'added' | 'updated' | 'deactivated' | 'unchanged' | 'skipped';

/**
 * Enrols the user with `role`. The port has no "change role", so a change is remove then
 * enrol: a crash between the two leaves the member out until the next sync puts them back.
 */
async function enrolAs(
  ctx: Ctx,
  courseId: string,
  userId: string,
  role: CourseRole,
): Promise<'added' | 'updated' | null> {
  const current = await ctx.repos.enrollments.get(courseId, userId);
  if (current?.role === role) return null;
  if (current) {
    await ctx.repos.enrollments.remove(courseId, userId).catch((error: unknown) => {
      // Removed by a concurrent sync already: the enrol below is what counts.
      if (!(error instanceof DataNotFoundError)) throw error;
    });
  }
  await ctx.repos.enrollments.enroll({ courseId, userId, role });
  return current ? 'updated' : 'added';
}

async function syncMember(
  ctx: Ctx,
  course: { id: string; instructorId: string },
  issuer: string,
  member: NrpsMember,
  previous: Map<string, LtiMembership>,
  seen: Set<string>,
): Promise<Outcome> {
  if (member.status !== 'Active') {
    // Someone ClassCast never met needs no record of leaving.
    const userId = await ctx.repos.lti.findUserLink(issuer, member.userId);
    if (!userId) return 'skipped';
    seen.add(userId);
    const before = previous.get(userId);
    const wasActive = before ? before.active : Boolean(await ctx.repos.enrollments.get(course.id, userId));
    if (before && !before.active && sameRoles(before.roles, member.roles)) return 'unchanged';
    await ctx.repos.lti.saveMembership({ courseId: course.id, userId, roles: member.roles, active: false });
    return wasActive ? 'deactivated' : 'unchanged';
  }
  const role = courseRoleFor(member.roles);
  if (!role) return 'skipped';
  // Roster sync never makes anyone an admin: an instructor starts it, and the roster is theirs.
  const user: User = await findOrCreateLtiUser(ctx, {
    issuer,
    subject: member.userId,
    name: member.name,
    givenName: member.givenName,
    familyName: member.familyName,
    email: member.email,
    role,
  });
  seen.add(user.id);
  // The course's own instructor keeps teaching it, whatever the LMS says of them.
  const enrolled = user.id === course.instructorId ? null : await enrolAs(ctx, course.id, user.id, role);
  const before = previous.get(user.id);
  const reactivated = before ? !before.active : false;
  if (!before || reactivated || !sameRoles(before.roles, member.roles)) {
    await ctx.repos.lti.saveMembership({ courseId: course.id, userId: user.id, roles: member.roles, active: true });
  }
  return enrolled ?? (reactivated ? 'updated' : 'unchanged');
}

function sameRoles(a: string[], b: string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((role, i) => role === sortedB[i]);
}

/** Pulls the LMS roster into the course (the course's instructor or an admin). */
export async function syncRoster(ctx: Ctx, actor: User | null, courseId: string): Promise<RosterSyncResult> {
  const { course } = await requireRosterSyncer(ctx, actor, courseId);
  const { context, platform } = await lmsCourse(ctx, course.id);
  const members = await fetchMembers(ctx, platform, context.membershipsUrl as string);
  const previous = await allMemberships(ctx, course.id);
  const seen = new Set<string>();
  const result: RosterSyncResult = {
    added: 0,
    updated: 0,
    deactivated: 0,
    unchanged: 0,
    skipped: 0,
    platformName: platform.name,
  };
  for (const member of members) result[await syncMember(ctx, course, context.issuer, member, previous, seen)]++;
  // Listed before, not listed now: the LMS dropped them. Marked, never un-enrolled.
  for (const membership of previous.values()) {
    if (seen.has(membership.userId) || !membership.active) continue;
    await ctx.repos.lti.saveMembership({ ...membership, active: false });
    result.deactivated++;
  }
  logInfo('lti roster synced', { courseId: course.id, platformId: platform.id, ...result });
  return result;
}

/** What the course page shows about the LMS roster: for its instructor, when the course came from an LMS. */
export interface LmsRoster {
  platformName: string;
  /** Whether the LMS offers its roster for this course (the sync button). */
  canSync: boolean;
  /** Members the LMS says are no longer active (shown as "inactive in the LMS"). */
  inactiveUserIds: string[];
}

export async function getLmsRoster(ctx: Ctx, actor: User | null, courseId: string): Promise<LmsRoster | null> {
  const { course } = await requireRosterSyncer(ctx, actor, courseId);
  const context = await ctx.repos.lti.findContextByCourse(course.id);
  if (!context) return null;
  const platform = await ctx.repos.lti.getPlatform(context.platformId);
  if (!platform) return null;
  const memberships = await allMemberships(ctx, course.id, PAGE_MEMBERSHIP_PAGES);
  return {
    platformName: platform.name,
    canSync: Boolean(context.membershipsUrl),
    inactiveUserIds: [...memberships.values()].filter((m) => !m.active).map((m) => m.userId),
  };
}
