import { describe, expect, it } from 'vitest';
import { createJwksCache } from '~/auth/lti/id-token';
import { LtiError } from '~/auth/lti/errors';
import { readDeepLinkHandoff } from '~/auth/lti-handoff.server';
import { builders, setupServiceContext } from '../../tests/service-context';
import { launch, payloadOf, setupLtiWorld, startLaunch } from '../../tests/lti-world';
import { launchFailure } from './lti-launch-failures.server';
import { beginLtiLogin, completeLtiLaunch, LAUNCH_STATE_TTL_MS } from './lti-launch.server';

const world = setupServiceContext();
const lti = setupLtiWorld(world);
const { anAssignment } = builders(world);

let n = 0;
const aContext = () => `ctx-launch-${Date.now().toString(36)}-${++n}`;

async function refusal(promise: Promise<unknown>): Promise<{ reason: string; status: number }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  const failure = launchFailure(error);
  if (!failure) throw new Error(`expected a launch refusal, got ${String(error)}`);
  return { reason: failure.reason, status: failure.status };
}

const userOf = async (sub: string) => {
  const id = await world.ctx.repos.lti.findUserLink(lti.platform.issuer, sub);
  return id ? world.ctx.repos.users.getById(id) : null;
};

describe('beginLtiLogin', () => {
  const params = () => ({
    iss: lti.lms.issuer,
    login_hint: 'student',
    target_link_uri: `${lti.toolUrl}/lti/launch`,
    lti_message_hint: 'opaque hint / with spaces',
    client_id: lti.lms.clientId,
    lti_deployment_id: lti.lms.deploymentId,
  });

  it('redirects to the platform with every OIDC parameter and stores state + nonce for 10 minutes', async () => {
    const { redirectUrl, state } = await beginLtiLogin(world.ctx, params());
    const url = new URL(redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(lti.platform.authUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: lti.lms.clientId,
      redirect_uri: `${lti.toolUrl}/lti/launch`,
      login_hint: 'student',
      lti_message_hint: 'opaque hint / with spaces',
      state,
    });
    const nonce = url.searchParams.get('nonce')!;
    // 256 random bits, base64url: 43 characters; never the same twice.
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonce).not.toBe(state);
    const stored = await world.ctx.repos.lti.consumeLaunchState(state);
    expect(stored).toMatchObject({ nonce, platformId: lti.platform.id, loginHint: 'student' });
    const ttl = new Date(stored!.expiresAt).getTime() - world.ctx.now().getTime();
    expect(ttl).toBeGreaterThan(LAUNCH_STATE_TTL_MS - 5_000);
    expect(ttl).toBeLessThanOrEqual(LAUNCH_STATE_TTL_MS);
  });

  it('finds an issuer’s only registration without client_id', async () => {
    const { client_id: _omit, ...rest } = params();
    expect((await beginLtiLogin(world.ctx, rest)).platformId).toBe(lti.platform.id);
  });

  it('refuses, with a 400 page and nothing stored, what is not a proper login request', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...params(), login_hint: '' }, 'BAD_LOGIN_REQUEST'],
      [{ ...params(), iss: undefined }, 'BAD_LOGIN_REQUEST'],
      [{ ...params(), target_link_uri: 'https://elsewhere.example/lti/launch' }, 'BAD_LOGIN_REQUEST'],
      [{ ...params(), iss: 'https://unknown-lms.example' }, 'UNKNOWN_PLATFORM'],
      [{ ...params(), client_id: 'someone-else' }, 'UNKNOWN_PLATFORM'],
      [{ ...params(), lti_deployment_id: 'not-ours' }, 'UNKNOWN_DEPLOYMENT'],
    ];
    for (const [input, reason] of cases) {
      const result = await refusal(beginLtiLogin(world.ctx, input));
      expect(result.reason).toBe(reason);
      expect(result.status).toBeLessThan(500);
    }
  });

  it('without client_id, an issuer with two registrations is ambiguous: a clear 400', async () => {
    const second = await world.ctx.repos.lti.createPlatform({
      ...lti.lms.registration,
      name: 'Second tenant',
      clientId: `second-${Date.now()}`,
    });
    try {
      const { client_id: _omit, ...rest } = params();
      expect(await refusal(beginLtiLogin(world.ctx, rest))).toEqual({ reason: 'BAD_LOGIN_REQUEST', status: 400 });
    } finally {
      await world.ctx.repos.lti.deletePlatform(second.id);
    }
  });
});

describe('completeLtiLaunch: mapping', () => {
  it('the first instructor launch creates the user, the course, the context with its service URLs and the enrolment', async () => {
    const contextId = aContext();
    const result = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const user = await userOf(lti.lms.users.instructor!.sub);
    expect(user).toMatchObject({ id: result.user.id, firstName: 'Ida', lastName: 'Instructor', role: 'instructor' });
    const context = await world.ctx.repos.lti.findContext(lti.platform.issuer, contextId);
    expect(context).toMatchObject({
      courseId: result.courseId,
      platformId: lti.platform.id,
      deploymentId: lti.lms.deploymentId,
      membershipsUrl: `${lti.lms.url}/contexts/${encodeURIComponent(contextId)}/memberships`,
      lineItemsUrl: `${lti.lms.url}/contexts/${encodeURIComponent(contextId)}/lineitems`,
    });
    const course = await world.ctx.repos.courses.getById(result.courseId);
    expect(course).toMatchObject({ instructorId: user!.id });
    expect(course!.joinCode).toMatch(/^[A-Z0-9]{7}$/);
    expect((await world.ctx.repos.enrollments.get(course!.id, user!.id))?.role).toBe('instructor');
    const memberships = await world.ctx.repos.lti.listMemberships(course!.id);
    expect(memberships.items).toEqual([expect.objectContaining({ userId: user!.id, active: true })]);
    expect(result.redirectTo).toBe(`/courses/${course!.id}`);
    const link = await world.ctx.repos.lti.findResourceLink(lti.platform.issuer, 'resource-link-1');
    expect(link).toMatchObject({ courseId: course!.id, assignmentId: null });
  });

  it('a student launching into a context no instructor opened gets the plain "not opened yet" refusal, and nothing is written', async () => {
    const contextId = aContext();
    const key = `learner-${contextId}`;
    const sub = lti.lms.addMember(contextId, {
      key,
      name: 'New Learner',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    });
    const result = await refusal(launch(world, lti, { user: key, kind: 'resource', contextId }));
    expect(result).toEqual({ reason: 'COURSE_NOT_OPENED', status: 403 });
    expect(await userOf(sub)).toBeNull();
    expect(await world.ctx.repos.lti.findContext(lti.platform.issuer, contextId)).toBeNull();
  });

  it('after the instructor, a student joins as a student of the same course', async () => {
    const contextId = aContext();
    const opened = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const result = await launch(world, lti, { user: 'student', kind: 'resource', contextId });
    expect(result.courseId).toBe(opened.courseId);
    expect(result.user.role).toBe('student');
    expect((await world.ctx.repos.enrollments.get(result.courseId, result.user.id))?.role).toBe('student');
    expect(result.redirectTo).toBe(`/courses/${result.courseId}`);
  });

  it('custom target=feed sends a student to the feed', async () => {
    const contextId = aContext();
    await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const result = await launch(world, lti, {
      user: 'student',
      kind: 'resource',
      contextId,
      custom: { target: 'feed' },
    });
    expect(result.redirectTo).toBe('/feed');
  });

  it('a custom assignment_id of this course opens the assignment and binds the link; a later launch keeps the binding', async () => {
    const contextId = aContext();
    const opened = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const course = (await world.ctx.repos.courses.getById(opened.courseId))!;
    const assignment = await anAssignment(course);
    const resourceLinkId = `rl-${contextId}`;
    const first = await launch(world, lti, {
      user: 'student',
      kind: 'resource',
      contextId,
      resourceLinkId,
      custom: { assignment_id: assignment.id },
    });
    expect(first.redirectTo).toBe(`/assignments/${assignment.id}`);
    const link = await world.ctx.repos.lti.findResourceLink(lti.platform.issuer, resourceLinkId);
    expect(link).toMatchObject({ courseId: course.id, assignmentId: assignment.id });
    expect(link!.scopes).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/score');
    const again = await launch(world, lti, { user: 'student', kind: 'resource', contextId, resourceLinkId });
    expect(again.redirectTo).toBe(`/assignments/${assignment.id}`);
  });

  it('an assignment_id of another course is refused (course copy), and the student is not enrolled', async () => {
    const contextA = aContext();
    const openedA = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId: contextA });
    const foreign = await anAssignment((await world.ctx.repos.courses.getById(openedA.courseId))!);
    const contextB = aContext();
    const openedB = await launch(world, lti, { user: 'instructor', kind: 'resource', contextId: contextB });
    const key = `copy-learner-${contextB}`;
    const sub = lti.lms.addMember(contextB, { key, name: 'Copy Learner', roles: ['Learner'] });
    const result = await refusal(
      launch(world, lti, {
        user: key,
        kind: 'resource',
        contextId: contextB,
        resourceLinkId: `rl-copy-${contextB}`,
        custom: { assignment_id: foreign.id },
      }),
    );
    expect(result).toEqual({ reason: 'FOREIGN_ASSIGNMENT', status: 400 });
    expect(await userOf(sub)).toBeNull();
    expect(await world.ctx.repos.lti.findResourceLink(lti.platform.issuer, `rl-copy-${contextB}`)).toBeNull();
    expect(openedB.courseId).not.toBe(openedA.courseId);
  });

  it('an institution administrator becomes a ClassCast admin; a learner never becomes an instructor by a custom claim', async () => {
    const contextId = aContext();
    await launch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const admin = await launch(world, lti, { user: 'admin', kind: 'resource', contextId });
    expect(admin.user.role).toBe('admin');
    const student = await launch(world, lti, {
      user: 'student2',
      kind: 'resource',
      contextId,
      custom: { role: 'instructor', roles: 'Instructor' },
    });
    expect(student.user.role).toBe('student');
    expect((await world.ctx.repos.enrollments.get(student.courseId, student.user.id))?.role).toBe('student');
  });

  it('a deep-linking request by an instructor goes to the picker with signed settings; a learner is refused', async () => {
    const contextId = aContext();
    const result = await launch(world, lti, { user: 'instructor', kind: 'deepLink', contextId });
    const url = new URL(result.redirectTo, 'http://x');
    expect(url.pathname).toBe('/lti/deep-link');
    const handoff = await readDeepLinkHandoff(url.searchParams.get('handoff'), world.ctx.now());
    expect(handoff).toMatchObject({
      userId: result.user.id,
      platformId: lti.platform.id,
      courseId: result.courseId,
      returnUrl: `${lti.lms.url}/deep-link-return`,
    });
    expect(handoff!.data).toMatch(/^dl-/);
    const refused = await refusal(launch(world, lti, { user: 'student', kind: 'deepLink', contextId }));
    expect(refused).toEqual({ reason: 'DEEP_LINK_INSTRUCTORS_ONLY', status: 403 });
  });
  it('a deep-linking dialog that takes no resource links is refused plainly', async () => {
    const contextId = aContext();
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'deepLink', contextId });
    const nonce = String(payloadOf(started.idToken!).nonce);
    const claims = lti.lms.launchClaims({ user: 'instructor', kind: 'deepLink', contextId, nonce });
    const settings = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
    claims[settings] = { ...(claims[settings] as object), accept_types: ['html'] };
    const idToken = await lti.lms.signIdToken(claims);
    const result = completeLtiLaunch(world.ctx, {
      idToken,
      state: started.state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    expect(await refusal(result)).toEqual({ reason: 'DEEP_LINK_UNSUPPORTED', status: 400 });
    expect(await world.ctx.repos.lti.findContext(lti.platform.issuer, contextId)).toBeNull();
  });
});

describe('completeLtiLaunch: refusals write nothing', () => {
  it('no state cookie: STATE_MISMATCH, and the real login stays usable', async () => {
    const contextId = aContext();
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const forged = completeLtiLaunch(world.ctx, {
      idToken: started.idToken,
      state: started.state,
      stateCookiePresent: false,
    });
    expect(await refusal(forged)).toEqual({ reason: 'STATE_MISMATCH', status: 400 });
    expect(await world.ctx.repos.lti.findContext(lti.platform.issuer, contextId)).toBeNull();
    const real = await completeLtiLaunch(world.ctx, {
      idToken: started.idToken,
      state: started.state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    expect(real.redirectTo).toMatch(/^\/courses\//);
  });

  it('a replayed launch (the same post twice) is refused: the state is single use', async () => {
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId: aContext() });
    const input = { idToken: started.idToken, state: started.state, stateCookiePresent: true, jwks: createJwksCache() };
    await completeLtiLaunch(world.ctx, input);
    expect(await refusal(completeLtiLaunch(world.ctx, input))).toEqual({ reason: 'STATE_MISMATCH', status: 400 });
  });

  it('an unknown or expired state is refused', async () => {
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId: aContext() });
    const unknown = completeLtiLaunch(world.ctx, {
      idToken: started.idToken,
      state: 'A'.repeat(43),
      stateCookiePresent: true,
    });
    expect((await refusal(unknown)).reason).toBe('STATE_MISMATCH');
    // A state past its 10 minutes (the adapter's own clock decides, so it is stored expired).
    const nonce = String(payloadOf(started.idToken!).nonce);
    const stale = 'C'.repeat(43);
    await world.ctx.repos.lti.saveLaunchState({
      state: stale,
      nonce,
      platformId: lti.platform.id,
      targetLinkUri: `${lti.toolUrl}/lti/launch`,
      loginHint: 'instructor',
      expiresAt: new Date(Date.now() - 1_000).toISOString(),
    });
    const late = completeLtiLaunch(world.ctx, { idToken: started.idToken, state: stale, stateCookiePresent: true });
    expect((await refusal(late)).reason).toBe('STATE_MISMATCH');
  });

  it('a token issued for another login (its nonce is not this state’s) is refused', async () => {
    const contextId = aContext();
    const victim = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const attacker = await startLaunch(world, lti, { user: 'student', kind: 'resource', contextId });
    const swapped = completeLtiLaunch(world.ctx, {
      idToken: attacker.idToken,
      state: victim.state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    expect(await refusal(swapped)).toEqual({ reason: 'STATE_MISMATCH', status: 400 });
    expect(await world.ctx.repos.lti.findContext(lti.platform.issuer, contextId)).toBeNull();
  });

  it('a replayed nonce is refused even with a fresh state that carries it', async () => {
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId: aContext() });
    await completeLtiLaunch(world.ctx, {
      idToken: started.idToken,
      state: started.state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    const nonce = String(payloadOf(started.idToken!).nonce);
    const state = 'B'.repeat(43);
    await world.ctx.repos.lti.saveLaunchState({
      state,
      nonce,
      platformId: lti.platform.id,
      targetLinkUri: `${lti.toolUrl}/lti/launch`,
      loginHint: 'instructor',
      expiresAt: new Date(world.ctx.now().getTime() + 60_000).toISOString(),
    });
    const replay = completeLtiLaunch(world.ctx, {
      idToken: started.idToken,
      state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    expect(await refusal(replay)).toEqual({ reason: 'NONCE_REPLAYED', status: 401 });
  });

  it('a token with a bad signature is refused before anything is written', async () => {
    const contextId = aContext();
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const [header, payload, signature] = started.idToken!.split('.');
    const claims = payloadOf(started.idToken!);
    claims.sub = 'someone-else';
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect(payload).not.toBe(tampered.split('.')[1]);
    const result = completeLtiLaunch(world.ctx, {
      idToken: tampered,
      state: started.state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    expect(await refusal(result)).toEqual({ reason: 'BAD_SIGNATURE', status: 401 });
    expect(await world.ctx.repos.lti.findUserLink(lti.platform.issuer, 'someone-else')).toBeNull();
    expect(await world.ctx.repos.lti.findContext(lti.platform.issuer, contextId)).toBeNull();
  });

  it('an expired token is refused', async () => {
    const contextId = aContext();
    const started = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId });
    const nonce = String(payloadOf(started.idToken!).nonce);
    const claims = lti.lms.launchClaims({ user: 'instructor', kind: 'resource', contextId, nonce });
    const expired = await lti.lms.signIdToken(claims, { expiresInSeconds: -60 });
    const result = completeLtiLaunch(world.ctx, {
      idToken: expired,
      state: started.state,
      stateCookiePresent: true,
      jwks: createJwksCache(),
    });
    expect(await refusal(result)).toEqual({ reason: 'TOKEN_EXPIRED', status: 401 });
  });

  it('a post without an id_token, or with the platform’s OIDC error, is refused plainly', async () => {
    const a = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId: aContext() });
    expect(
      (await refusal(completeLtiLaunch(world.ctx, { idToken: null, state: a.state, stateCookiePresent: true }))).reason,
    ).toBe('MISSING_CLAIM');
    const b = await startLaunch(world, lti, { user: 'instructor', kind: 'resource', contextId: aContext() });
    const rejected = completeLtiLaunch(world.ctx, {
      idToken: null,
      platformError: 'login_required: no session',
      state: b.state,
      stateCookiePresent: true,
    });
    expect((await refusal(rejected)).reason).toBe('PLATFORM_REJECTED');
  });

  it('every refusal maps to a page below 500, and a non-refusal is not swallowed', () => {
    expect(launchFailure(new LtiError('JWKS_UNAVAILABLE'))).toMatchObject({ status: 503 });
    expect(launchFailure(new Error('bug'))).toBeNull();
  });
});
