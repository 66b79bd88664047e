/**
 * LTI 1.3 launches (docs/decisions/024-lti-advantage.md): the OIDC login initiation
 * (/lti/login) and the launch itself (/lti/launch). The protocol (what a valid id_token is)
 * lives in app/auth/lti; this module decides what a verified launch means in ClassCast: which
 * user, which course, which role, which assignment.
 *
 * Order matters for "nothing partial": everything that can refuse a launch (state, token,
 * nonce, roles, the context, the assignment a link names) is checked before the first write
 * that a refusal would leave behind.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createJwksCache, verifyLaunchToken, type JwksCache, type LaunchClaims } from '~/auth/lti/id-token';
import { LtiError } from '~/auth/lti/errors';
import { authenticationRequestUrl, loginInitiationSchema } from '~/auth/lti/login';
import { courseRoleFor, isInstitutionAdmin } from '~/auth/lti/roles';
import { signDeepLinkHandoff } from '~/auth/lti-handoff.server';
import { DataConflictError } from '~/data/errors';
import type { CourseRole, LtiContext, LtiPlatform, LtiResourceLink, Role, User } from '~/data/repository';
import { requireEnabledAccount } from './access.server';
import type { ServiceContext } from './context';
import { LaunchRefusal } from './lti-launch-failures.server';
import { generateJoinCode } from './courses.server';
import { findOrCreateLtiUser } from './lti-users.server';

/** How long a login may take between /lti/login and the platform's post to /lti/launch. */
export const LAUNCH_STATE_TTL_MS = 10 * 60 * 1000;
/**
 * How long a used nonce is remembered. Longer than any id_token a platform issues (they live
 * minutes; the Security Framework caps nothing, Canvas uses one hour): a token replayed after
 * its nonce was forgotten has expired by then.
 */
export const NONCE_TTL_MS = 2 * 60 * 60 * 1000;

/** 128 bits is the floor (OIDC Core §15.5.2); 256 costs nothing. */
function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface LoginRedirect {
  /** The platform's OIDC authorization endpoint with every parameter of the request. */
  redirectUrl: string;
  /** The state to bind to this browser (app/auth/lti-state-cookie.server.ts). */
  state: string;
  platformId: string;
}

/**
 * Third-party initiated login (LTI 1.3 core §5.1.1): GET query or POST form, as the platform
 * chooses. Finds the registration, checks the target is ours, stores state + nonce.
 */
export async function beginLtiLogin(ctx: ServiceContext, params: Record<string, unknown>): Promise<LoginRedirect> {
  const parsed = loginInitiationSchema.safeParse(params);
  if (!parsed.success) {
    throw new LtiError(
      'BAD_LOGIN_REQUEST',
      'The LMS did not send what an LTI login needs (iss, login_hint, target_link_uri).',
    );
  }
  const p = parsed.data;
  const platform = await platformForLogin(ctx, p.iss, p.client_id);
  if (p.lti_deployment_id && !platform.deploymentIds.includes(p.lti_deployment_id)) {
    throw new LtiError('UNKNOWN_DEPLOYMENT', 'This LMS deployment of ClassCast is not registered.');
  }
  if (!isOurs(ctx, p.target_link_uri)) {
    throw new LtiError('BAD_LOGIN_REQUEST', 'The LMS asked to open an address that is not part of ClassCast.');
  }
  const state = randomToken();
  const nonce = randomToken();
  await ctx.repos.lti.saveLaunchState({
    state,
    nonce,
    platformId: platform.id,
    targetLinkUri: p.target_link_uri,
    loginHint: p.login_hint,
    expiresAt: new Date(ctx.now().getTime() + LAUNCH_STATE_TTL_MS).toISOString(),
  });
  const redirectUrl = authenticationRequestUrl(platform, {
    state,
    nonce,
    redirectUri: launchUrl(ctx),
    loginHint: p.login_hint,
    ltiMessageHint: p.lti_message_hint,
  });
  return { redirectUrl, state, platformId: platform.id };
}

async function platformForLogin(ctx: ServiceContext, issuer: string, clientId: string | undefined) {
  if (clientId) {
    const platform = await ctx.repos.lti.findPlatform(issuer, clientId);
    if (!platform) throw new LtiError('UNKNOWN_PLATFORM', 'This LMS is not registered with ClassCast.');
    return platform;
  }
  // Without client_id only an unambiguous issuer will do: guessing could sign the user in
  // through the wrong registration (another tenant of a shared LMS host).
  const candidates = await ctx.repos.lti.listPlatformsByIssuer(issuer);
  if (candidates.length === 1) return candidates[0]!;
  if (!candidates.length) throw new LtiError('UNKNOWN_PLATFORM', 'This LMS is not registered with ClassCast.');
  throw new LtiError(
    'BAD_LOGIN_REQUEST',
    'This LMS has several ClassCast registrations and did not say which one (client_id). Ask your LMS administrator to send it.',
  );
}

export function launchUrl(ctx: Pick<ServiceContext, 'settings'>): string {
  return new URL('/lti/launch', ctx.settings.appUrl).toString();
}

function isOurs(ctx: ServiceContext, uri: string): boolean {
  try {
    return new URL(uri).origin === new URL(ctx.settings.appUrl).origin;
  } catch {
    return false;
  }
}

export interface LaunchInput {
  idToken: string | null;
  /** The OIDC error the platform posted instead of a token (e.g. `login_required`), for the log. */
  platformError?: string | null;
  state: string | null;
  /** Whether the browser presented the cookie /lti/login set for this state. */
  stateCookiePresent: boolean;
  /** Tests pass their own cache; the process shares one otherwise. */
  jwks?: JwksCache;
}

export interface LaunchOutcome {
  user: User;
  courseId: string;
  /** A path on our origin: the assignment, the course, the feed, or the deep-linking picker. */
  redirectTo: string;
  messageType: LaunchClaims['messageType'];
}

/** One per process: the last good key set of each platform survives a JWKS outage for a while. */
let sharedJwks: JwksCache | undefined;

/**
 * The platform's form post (LTI 1.3 core §5.1.1.3 and §5.1.3): state, id_token, nonce, then
 * the mapping. Throws LtiError (protocol) or LaunchRefusal (ClassCast's rules).
 */
export async function completeLtiLaunch(ctx: ServiceContext, input: LaunchInput): Promise<LaunchOutcome> {
  const { platform, claims } = await verifiedLaunch(ctx, input);
  const plan = await planLaunch(ctx, platform, claims);
  // Every refusal is behind us: from here on, only writes.
  const user = await findOrCreateLtiUser(ctx, {
    issuer: claims.issuer,
    subject: claims.subject,
    name: claims.name,
    givenName: claims.givenName,
    familyName: claims.familyName,
    email: claims.email,
    role: plan.userRole,
  });
  requireEnabledAccount(user);
  const courseId = plan.courseId ?? (await createCourseFor(ctx, user, claims));
  const boundCourseId = await saveContext(ctx, platform, claims, courseId, plan.context);
  if (plan.courseRole) await enrolAs(ctx, boundCourseId, user.id, plan.courseRole);
  await ctx.repos.lti.saveMembership({ courseId: boundCourseId, userId: user.id, roles: claims.roles, active: true });

  if (claims.messageType === 'LtiDeepLinkingRequest') {
    const settings = claims.deepLinking!;
    const token = await signDeepLinkHandoff(
      {
        userId: user.id,
        platformId: platform.id,
        deploymentId: claims.deploymentId,
        courseId: boundCourseId,
        returnUrl: settings.returnUrl,
        data: settings.data,
        acceptMultiple: settings.acceptMultiple,
      },
      ctx.now(),
    );
    return {
      user,
      courseId: boundCourseId,
      redirectTo: `/lti/deep-link?${new URLSearchParams({ handoff: token })}`,
      messageType: claims.messageType,
    };
  }

  const assignmentId = plan.courseId === boundCourseId ? plan.assignmentId : null;
  await ctx.repos.lti.saveResourceLink({
    issuer: claims.issuer,
    resourceLinkId: claims.resourceLink!.id,
    platformId: platform.id,
    courseId: boundCourseId,
    assignmentId,
    // A launch without the AGS claim keeps what an earlier one said (platforms send it per launch).
    lineItemUrl: claims.ags?.lineItemUrl ?? plan.existingLink?.lineItemUrl ?? null,
    scopes: claims.ags?.scope ?? plan.existingLink?.scopes ?? [],
  });
  return {
    user,
    courseId: boundCourseId,
    redirectTo: destination(claims, boundCourseId, assignmentId, user),
    messageType: claims.messageType,
  };
}

async function verifiedLaunch(ctx: ServiceContext, input: LaunchInput) {
  if (!input.state) throw new LtiError('STATE_MISMATCH', 'This launch did not come back with the login it started.');
  // Checked before the state is consumed: a forged post must not burn the real browser's login.
  if (!input.stateCookiePresent) {
    throw new LtiError('STATE_MISMATCH', 'This launch was started in another browser or window.');
  }
  const launchState = await ctx.repos.lti.consumeLaunchState(input.state);
  if (!launchState) throw new LtiError('STATE_MISMATCH', 'This launch has expired or was already used.');
  const platform = await ctx.repos.lti.getPlatform(launchState.platformId);
  if (!platform) throw new LtiError('UNKNOWN_PLATFORM', 'This LMS is no longer registered with ClassCast.');
  if (!input.idToken) {
    if (input.platformError) throw new LtiError('PLATFORM_REJECTED', `authentication response: ${input.platformError}`);
    throw new LtiError('MISSING_CLAIM', 'The LMS sent no id_token.');
  }
  const claims = await verifyLaunchToken(input.idToken, platform, {
    now: ctx.now(),
    jwks: input.jwks ?? (sharedJwks ??= createJwksCache()),
  });
  // The token must answer THIS login: a token captured from someone else's launch carries
  // their nonce, not the one stored with our state.
  if (!sameString(claims.nonce, launchState.nonce)) {
    throw new LtiError('STATE_MISMATCH', 'This sign-in token was issued for another launch.');
  }
  const expiresAt = new Date(ctx.now().getTime() + NONCE_TTL_MS).toISOString();
  if (!(await ctx.repos.lti.useNonce(platform.issuer, claims.nonce, expiresAt))) {
    throw new LtiError('NONCE_REPLAYED', 'This launch was already used.');
  }
  return { platform, claims };
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

interface LaunchPlan {
  /** The ClassCast account role: admin only for institution administrators. */
  userRole: Role;
  courseRole: CourseRole | null;
  /** The course the context stands for; null when this launch creates it. */
  courseId: string | null;
  context: LtiContext | null;
  assignmentId: string | null;
  existingLink: LtiResourceLink | null;
}

/** Every read that can refuse the launch, before any write. */
async function planLaunch(ctx: ServiceContext, platform: LtiPlatform, claims: LaunchClaims): Promise<LaunchPlan> {
  const admin = isInstitutionAdmin(claims.roles);
  const courseRole = courseRoleFor(claims.roles);
  if (!courseRole && !admin) {
    throw new LaunchRefusal(
      'UNKNOWN_ROLE',
      'FORBIDDEN',
      'Your role in this LMS course is not one ClassCast knows: it needs Instructor, Teaching Assistant or Learner.',
    );
  }
  // Only the LMS's course role makes an instructor; no custom parameter or other claim does.
  const userRole: Role = admin ? 'admin' : courseRole === 'instructor' ? 'instructor' : 'student';
  if (!claims.context) {
    throw new LaunchRefusal('NO_CONTEXT', 'VALIDATION_ERROR', 'Open ClassCast from inside a course in your LMS.');
  }
  const mayTeach = courseRole === 'instructor' || admin;
  if (claims.messageType === 'LtiDeepLinkingRequest' && !mayTeach) {
    throw new LaunchRefusal(
      'DEEP_LINK_INSTRUCTORS_ONLY',
      'FORBIDDEN',
      'Only the course’s instructors can add ClassCast assignments to it.',
    );
  }
  // ClassCast answers with one assignment link: a dialog that takes no links cannot use it.
  if (claims.messageType === 'LtiDeepLinkingRequest' && !claims.deepLinking?.acceptTypes.includes('ltiResourceLink')) {
    throw new LaunchRefusal(
      'DEEP_LINK_UNSUPPORTED',
      'VALIDATION_ERROR',
      'This LMS asked for a kind of content ClassCast cannot add here: ClassCast adds assignment links.',
    );
  }
  const context = await ctx.repos.lti.findContext(claims.issuer, claims.context.id);
  if (!context && courseRole !== 'instructor') {
    throw new LaunchRefusal(
      'COURSE_NOT_OPENED',
      'FORBIDDEN',
      'Your instructor has not opened ClassCast in this course yet. Try again once they have.',
    );
  }
  const courseId = context?.courseId ?? null;
  if (claims.messageType === 'LtiDeepLinkingRequest') {
    return { userRole, courseRole, courseId, context, assignmentId: null, existingLink: null };
  }
  if (!isOurs(ctx, claims.targetLinkUri)) {
    throw new LaunchRefusal(
      'WRONG_TARGET',
      'VALIDATION_ERROR',
      'The LMS asked to open an address that is not part of ClassCast.',
    );
  }
  const existingLink = await ctx.repos.lti.findResourceLink(claims.issuer, claims.resourceLink!.id);
  const assignmentId = await assignmentFor(ctx, courseId, existingLink, claims.custom.assignment_id);
  return { userRole, courseRole, courseId, context, assignmentId, existingLink };
}

/**
 * The link's existing binding wins; a first launch takes the `assignment_id` the deep-linking
 * response put in the link's custom parameters, when that assignment is in this course. A
 * link copied into another LMS course (course copy) names an assignment of the old one: it
 * is refused rather than opening, or sending grades to, someone else's course.
 */
async function assignmentFor(
  ctx: ServiceContext,
  courseId: string | null,
  existing: LtiResourceLink | null,
  requested: string | undefined,
): Promise<string | null> {
  if (existing && existing.courseId === courseId && existing.assignmentId) return existing.assignmentId;
  if (!requested) return null;
  const assignment = await ctx.repos.assignments.getById(requested);
  if (!assignment || assignment.courseId !== courseId) {
    throw new LaunchRefusal(
      'FOREIGN_ASSIGNMENT',
      'VALIDATION_ERROR',
      'This link opens an assignment that is not part of this course. Ask your instructor to add it again from ClassCast.',
    );
  }
  return assignment.id;
}

/** The LMS course's first instructor launch opens it in ClassCast, with a join code like any course. */
async function createCourseFor(ctx: ServiceContext, instructor: User, claims: LaunchClaims): Promise<string> {
  const context = claims.context!;
  const title = (context.title || context.label || 'LMS course').trim().slice(0, 120);
  const code = (context.label || context.title || 'LMS').trim().slice(0, 32);
  for (let attempt = 1; ; attempt++) {
    try {
      const course = await ctx.repos.courses.create({
        title,
        code,
        description: '',
        instructorId: instructor.id,
        joinCode: generateJoinCode(),
      });
      return course.id;
    } catch (error) {
      // A generated join code that clashes is simply drawn again.
      if (!(error instanceof DataConflictError) || attempt >= 5) throw error;
    }
  }
}

/**
 * Saves the context's course and service URLs. Two instructors' first launches may race: the
 * loser's freshly made course stays empty and both go on in the winner's (a context never
 * moves to another course).
 */
async function saveContext(
  ctx: ServiceContext,
  platform: LtiPlatform,
  claims: LaunchClaims,
  courseId: string,
  previous: LtiContext | null,
) {
  const context = claims.context!;
  const input = {
    issuer: claims.issuer,
    contextId: context.id,
    platformId: platform.id,
    deploymentId: claims.deploymentId,
    courseId: previous?.courseId ?? courseId,
    title: context.title ?? previous?.title ?? null,
    membershipsUrl: claims.nrps?.membershipsUrl ?? previous?.membershipsUrl ?? null,
    lineItemsUrl: claims.ags?.lineItemsUrl ?? previous?.lineItemsUrl ?? null,
  };
  try {
    return (await ctx.repos.lti.saveContext(input)).courseId;
  } catch (error) {
    if (!(error instanceof DataConflictError)) throw error;
    const winner = await ctx.repos.lti.findContext(claims.issuer, context.id);
    if (!winner) throw error;
    return (await ctx.repos.lti.saveContext({ ...input, courseId: winner.courseId })).courseId;
  }
}

/**
 * The LMS says who teaches and who learns: a changed role there changes the enrolment here.
 * The course's owner (its instructorId) keeps the enrolment courses.create gave them.
 */
async function enrolAs(ctx: ServiceContext, courseId: string, userId: string, role: CourseRole) {
  const { enrollment, created } = await ctx.repos.enrollments.enroll({ courseId, userId, role });
  if (created || enrollment.role === role) return;
  const course = await ctx.repos.courses.getById(courseId);
  if (course?.instructorId === userId) return;
  await ctx.repos.enrollments.remove(courseId, userId);
  await ctx.repos.enrollments.enroll({ courseId, userId, role });
}

function destination(claims: LaunchClaims, courseId: string, assignmentId: string | null, user: User): string {
  if (assignmentId) return `/assignments/${assignmentId}`;
  // The feed gathers a student's classes; for anyone else the course page is the start.
  if (claims.custom.target === 'feed' && user.role === 'student') return '/feed';
  return `/courses/${courseId}`;
}
