import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM } from '../../app/auth/lti/claims';
import { createJwksCache, verifyLaunchToken } from '../../app/auth/lti/id-token';
import { authenticationRequestUrl, loginInitiationSchema } from '../../app/auth/lti/login';
import { createPlatformClient } from '../../app/auth/lti/platform-client';
import {
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_SCORE,
  MEDIA_TYPE_SCORE,
} from '../../app/auth/lti/scopes';
import { startFakePlatform, type FakePlatform } from '.';
import { startToolStandIn, type ToolStandIn } from './tool-stand-in';

let tool: ToolStandIn;
let lms: FakePlatform;

beforeAll(async () => {
  tool = await startToolStandIn();
  lms = await startFakePlatform({ toolUrl: tool.url });
});
afterAll(async () => {
  await lms.stop();
  await tool.stop();
});

function hidden(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  }
  return fields;
}

function formAction(html: string): string | undefined {
  return /<form method="post" action="([^"]+)"/
    .exec(html)?.[1]
    ?.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
}

/** The course page's iframe → the tool's login parameters. */
async function loginParams(pageUrl: string) {
  const html = await (await fetch(pageUrl)).text();
  const src = /<iframe title="ClassCast" src="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&');
  expect(src).toBeTruthy();
  const url = new URL(src!);
  expect(url.origin + url.pathname).toBe(`${tool.url}/lti/login`);
  return { html, params: loginInitiationSchema.parse(Object.fromEntries(url.searchParams)) };
}

async function authorize(params: Record<string, string>) {
  const url = new URL(`${lms.url}/auth`);
  url.search = new URLSearchParams(params).toString();
  const response = await fetch(url);
  return { status: response.status, html: await response.text() };
}

describe('course page and OIDC authorization', () => {
  it('frames the tool login with every LTI parameter, in accessible markup', async () => {
    const { html, params } = await loginParams(
      lms.launchUrl({ user: 'instructor', kind: 'resource', resourceLinkId: 'rl-9' }),
    );
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<title>Biology 101 — Fake LMS<\/title>/);
    expect(html).toMatch(/<main aria-label="Fake LMS">/);
    expect(params).toMatchObject({
      iss: lms.issuer,
      login_hint: 'instructor',
      target_link_uri: `${tool.url}/lti/launch`,
      client_id: lms.clientId,
      lti_deployment_id: lms.deploymentId,
    });
    expect(params.lti_message_hint).toBeTruthy();
  });

  it('offers platform storage like Canvas (lti_storage_target=_parent), unless told not to', async () => {
    const { html, params } = await loginParams(lms.launchUrl({ user: 'student', kind: 'resource' }));
    expect(params.lti_storage_target).toBe('_parent');
    expect(html).toContain("subject === 'lti.put_data'");
    expect(html).toContain(`const toolOrigin = "${tool.url}"`);
    const plain = await startFakePlatform({ toolUrl: tool.url, platformStorage: false });
    try {
      const url = new URL(plain.loginUrl({ user: 'student', kind: 'resource' }));
      expect(url.searchParams.has('lti_storage_target')).toBe(false);
      const page = await (await fetch(plain.launchUrl({ user: 'student', kind: 'resource' }))).text();
      expect(page).not.toContain('lti.put_data');
    } finally {
      await plain.stop();
    }
  });

  it('answers a proper authentication request with an auto-posting form whose id_token verifies', async () => {
    const { params } = await loginParams(lms.launchUrl({ user: 'student', kind: 'resource', resourceLinkId: 'rl-9' }));
    const auth = authenticationRequestUrl(lms.registration, {
      state: 'state-1',
      nonce: 'nonce-1',
      redirectUri: `${tool.url}/lti/launch`,
      loginHint: params.login_hint,
      ltiMessageHint: params.lti_message_hint,
    });
    const response = await fetch(auth);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(formAction(html)).toBe(`${tool.url}/lti/launch`);
    expect(html).toMatch(/<button type="submit">Continue<\/button>/);
    expect(html).toMatch(/<script>document\.getElementById\('auto-post'\)\.submit\(\);<\/script>/);
    const fields = hidden(html);
    expect(fields.state).toBe('state-1');
    const claims = await verifyLaunchToken(fields.id_token, lms.registration, {
      now: new Date(),
      jwks: createJwksCache(),
    });
    expect(claims).toMatchObject({ nonce: 'nonce-1', subject: lms.users.student.sub, resourceLink: { id: 'rl-9' } });
  });

  it('tamperNextLaunch changes only the next id_token', async () => {
    const { params } = await loginParams(lms.launchUrl({ user: 'student', kind: 'resource' }));
    const request = authenticationRequestUrl(lms.registration, {
      state: 's',
      nonce: 'n',
      redirectUri: `${tool.url}/lti/launch`,
      loginHint: params.login_hint,
      ltiMessageHint: params.lti_message_hint,
    });
    const jwks = createJwksCache();
    const verifyPosted = async () => {
      const fields = hidden(await (await fetch(request)).text());
      return verifyLaunchToken(fields.id_token, lms.registration, { now: new Date(), jwks }).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
    };
    lms.tamperNextLaunch({ [CLAIM.deploymentId]: 'elsewhere' });
    expect(await verifyPosted()).toBe('UNKNOWN_DEPLOYMENT');
    lms.tamperNextLaunch({ [CLAIM.roles]: undefined });
    expect(await verifyPosted()).toBe('MISSING_CLAIM');
    lms.tamperNextLaunch({}, { expiresInSeconds: -60 });
    expect(await verifyPosted()).toBe('TOKEN_EXPIRED');
    expect(await verifyPosted()).toBe('ok');
  });

  it('refuses an unknown client or redirect URI with a page, and posts an error back for the rest', async () => {
    const { params } = await loginParams(lms.launchUrl({ user: 'student', kind: 'resource' }));
    const good = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: lms.clientId,
      redirect_uri: `${tool.url}/lti/launch`,
      login_hint: params.login_hint,
      lti_message_hint: params.lti_message_hint!,
      state: 's',
      nonce: 'n',
    };
    expect((await authorize({ ...good, client_id: 'someone' })).status).toBe(400);
    expect((await authorize({ ...good, redirect_uri: 'https://evil.example/steal' })).status).toBe(400);
    for (const [name, value, error] of [
      ['scope', 'openid profile', 'invalid_request'],
      ['response_type', 'code', 'invalid_request'],
      ['response_mode', 'fragment', 'invalid_request'],
      ['prompt', 'login', 'invalid_request'],
      ['nonce', '', 'invalid_request'],
      ['login_hint', 'nobody', 'login_required'],
      ['login_hint', 'instructor', 'invalid_request'], // the hint was made for the student
      ['lti_message_hint', 'garbage', 'invalid_request'],
    ] as const) {
      const { status, html } = await authorize({ ...good, [name]: value });
      expect(status, name).toBe(200);
      expect(hidden(html), `${name}=${value}`).toMatchObject({ error, state: 's' });
      expect(hidden(html)).not.toHaveProperty('id_token');
    }
  });
});

describe('token endpoint', () => {
  async function tokenRequest(fields: Record<string, string>) {
    const response = await fetch(`${lms.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function assertion(o: { aud?: string; iss?: string; jti?: string } = {}) {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: tool.signingKey.kid })
      .setIssuer(o.iss ?? lms.clientId)
      .setSubject(o.iss ?? lms.clientId)
      .setAudience(o.aud ?? `${lms.url}/token`)
      .setJti(o.jti ?? crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(tool.signingKey.privateKey);
  }

  const base = {
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    scope: AGS_SCOPE_SCORE,
  };

  it('issues a bearer token for a client assertion the tool JWKS verifies', async () => {
    const { status, body } = await tokenRequest({ ...base, client_assertion: await assertion() });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: AGS_SCOPE_SCORE });
  });

  it('refuses a wrong audience or issuer (401), a replayed jti, an unknown scope or grant (400)', async () => {
    expect((await tokenRequest({ ...base, client_assertion: await assertion({ aud: lms.issuer }) })).status).toBe(401);
    expect((await tokenRequest({ ...base, client_assertion: await assertion({ iss: 'other' }) })).status).toBe(401);
    const once = await assertion({ jti: 'same' });
    expect((await tokenRequest({ ...base, client_assertion: once })).status).toBe(200);
    expect(await tokenRequest({ ...base, client_assertion: once })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const badScope = await tokenRequest({
      ...base,
      scope: 'https://example.com/everything',
      client_assertion: await assertion(),
    });
    expect(badScope).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const badGrant = await tokenRequest({ ...base, grant_type: 'password', client_assertion: await assertion() });
    expect(badGrant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });
});

describe('AGS endpoints', () => {
  it('checks the bearer token, its scope and the media type of a score', async () => {
    const client = createPlatformClient({ now: () => new Date() });
    const platform = { id: 'p', clientId: lms.clientId, tokenUrl: lms.registration.tokenUrl };
    const readOnly = await client.accessToken(platform, [AGS_SCOPE_LINEITEM_READONLY], tool.signingKey);
    const scoring = await client.accessToken(platform, [AGS_SCOPE_SCORE], tool.signingKey);

    const list = await fetch(`${lms.url}/contexts/course-1/lineitems`, {
      headers: { authorization: `Bearer ${readOnly}` },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('application/vnd.ims.lis.v2.lineitemcontainer+json');
    expect((await fetch(`${lms.url}/contexts/course-1/lineitems`)).status).toBe(401);
    const create = await fetch(`${lms.url}/contexts/course-1/lineitems`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' },
      body: JSON.stringify({ label: 'x', scoreMaximum: 1 }),
    });
    expect(create.status).toBe(403);

    const writer = await client.accessToken(platform, [AGS_SCOPE_LINEITEM], tool.signingKey);
    const created = await fetch(`${lms.url}/contexts/course-1/lineitems`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' },
      body: JSON.stringify({ label: 'Essay', scoreMaximum: 20, tag: 'video' }),
    });
    expect(created.status).toBe(201);
    const target = ((await created.json()) as { id: string }).id;
    const read = await fetch(target, { headers: { authorization: `Bearer ${readOnly}` } });
    expect(await read.json()).toEqual({ id: target, label: 'Essay', scoreMaximum: 20, tag: 'video' });
    // Line items of another course are not reachable through this one.
    const elsewhere = target.replace('/contexts/course-1/', '/contexts/course-2/');
    expect((await fetch(elsewhere, { headers: { authorization: `Bearer ${readOnly}` } })).status).toBe(404);
    const asJson = await fetch(`${target}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scoring}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(asJson.status).toBe(415);
    const withoutScope = await fetch(`${target}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': MEDIA_TYPE_SCORE },
      body: '{}',
    });
    expect(withoutScope.status).toBe(403);
  });
});

describe('test controls', () => {
  it('addMember lets the new member launch; the deep-link request carries data the return must echo', () => {
    const sub = lms.addMember('course-2', { key: 'newbie', name: 'Nia Newbie', roles: ['Learner'] });
    const claims = lms.launchClaims({ user: 'newbie', kind: 'resource', contextId: 'course-2', nonce: 'n' });
    expect(claims).toMatchObject({ sub, given_name: 'Nia', family_name: 'Newbie' });
    expect(claims[CLAIM.context]).toMatchObject({ id: 'course-2' });
    const deepLink = lms.launchClaims({ user: 'instructor', kind: 'deepLink', nonce: 'n' });
    expect(deepLink[CLAIM.deepLinkingSettings]).toMatchObject({ deep_link_return_url: `${lms.url}/deep-link-return` });
    expect(() => lms.setMemberStatus('course-2', 'lms-ghost', 'Inactive')).toThrow(/not in/);
  });
});
