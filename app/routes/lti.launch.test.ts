/**
 * /lti/login and /lti/launch as HTTP: the redirect and its state cookie, the platform's real
 * form post, the embedded session, and the plain error pages with their statuses (never a 500).
 * The route modules are called as Remix calls them, over the real services and the fake LMS.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_SESSION_COOKIE_NAME } from '~/auth/session.server';
import { setupServiceContext } from '../../tests/service-context';
import { formFields, payloadOf, setupLtiWorld } from '../../tests/lti-world';
import * as launchRoute from './lti.launch';
import * as loginRoute from './lti.login';

const world = setupServiceContext();
const lti = setupLtiWorld(world);

const args = (request: Request) =>
  ({ request, params: {}, context: { services: world.ctx, clientIp: '127.0.0.1' } }) as unknown as LoaderFunctionArgs &
    ActionFunctionArgs;

let n = 0;
const aContext = () => `ctx-routes-${Date.now().toString(36)}-${++n}`;

/** GET /lti/login as the LMS's course page frames it; returns the redirect and the state cookie. */
async function login(user = 'instructor', contextId = aContext()) {
  const url = new URL(lti.lms.loginUrl({ user, kind: 'resource', contextId }));
  const response = await loginRoute.loader(args(new Request(`${lti.toolUrl}/lti/login${url.search}`)));
  return { response, contextId };
}

/** Follows the redirect to the fake LMS, which answers the form it would post to /lti/launch. */
async function platformPost(location: string) {
  return formFields(await (await fetch(location)).text());
}

function launchRequest(fields: Record<string, string>, cookie?: string) {
  return new Request(`${lti.toolUrl}/lti/launch`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: new URL(lti.lms.url).origin,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

describe('/lti/login', () => {
  it('redirects (302) to the platform and binds the state to the browser with a partitioned cookie', async () => {
    const { response } = await login();
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!);
    const state = location.searchParams.get('state')!;
    const cookie = response.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(new RegExp(`^lti_state_${state}=1;`));
    expect(cookie).toMatch(/SameSite=None/);
    expect(cookie).toMatch(/Partitioned/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/lti/);
  });

  it('takes the same parameters as a form POST', async () => {
    const params = new URL(lti.lms.loginUrl({ user: 'student', kind: 'resource', contextId: aContext() })).searchParams;
    const request = new Request(`${lti.toolUrl}/lti/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(lti.lms.url).origin },
      body: params,
    });
    const response = await loginRoute.action(args(request));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(new RegExp(`^${lti.platform.authUrl}\\?`));
  });

  it('answers a bad request with a plain 400 page and no cookie', async () => {
    const response = await loginRoute.loader(args(new Request(`${lti.toolUrl}/lti/login?iss=nope`)));
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toMatch(/text\/html/);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain('<h1');
    expect(html).toContain('The LMS started the sign-in without the details ClassCast needs.');
  });

  it('a body that is not a form is the same 400 page, not a 500', async () => {
    const request = new Request(`${lti.toolUrl}/lti/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
      body: 'garbage',
    });
    expect((await loginRoute.action(args(request))).status).toBe(400);
  });
});

describe('/lti/launch', () => {
  it('the platform’s post with the state cookie signs in with an embedded session and 303s to the course', async () => {
    const { response } = await login();
    const stateCookie = cookiePair(response.headers.get('Set-Cookie')!);
    const fields = await platformPost(response.headers.get('Location')!);
    expect(fields.id_token).toBeTruthy();
    const launched = await launchRoute.action(args(launchRequest(fields, stateCookie)));
    expect(launched.status).toBe(303);
    expect(launched.headers.get('Location')).toMatch(/^\/courses\/[^?]+\?lti_session=/);
    const cookies = launched.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith(`${EMBEDDED_SESSION_COOKIE_NAME}=`) && /SameSite=None/i.test(c))).toBe(
      true,
    );
    // The state cookie is spent with the state.
    expect(cookies.some((c) => c.startsWith(`lti_state_${fields.state}=;`) && c.includes('Max-Age=0'))).toBe(true);
  });

  it('without the state cookie (a post from another browser) it is a 400 page, and nothing signs in', async () => {
    const { response } = await login();
    const fields = await platformPost(response.headers.get('Location')!);
    const refused = await launchRoute.action(args(launchRequest(fields)));
    expect(refused.status).toBe(400);
    expect(refused.headers.getSetCookie().some((c) => c.startsWith(EMBEDDED_SESSION_COOKIE_NAME))).toBe(false);
    expect(await refused.text()).toContain('did not match the one started in this browser');
  });

  it('a tampered token is a 401 page; a replay of a good one a 400 page', async () => {
    const { response } = await login();
    const stateCookie = cookiePair(response.headers.get('Set-Cookie')!);
    const fields = await platformPost(response.headers.get('Location')!);
    const [header, , signature] = fields.id_token!.split('.');
    const claims = { ...payloadOf(fields.id_token!), sub: 'intruder' };
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const bad = await launchRoute.action(args(launchRequest({ ...fields, id_token: tampered }, stateCookie)));
    expect(bad.status).toBe(401);

    const again = await login();
    const goodCookie = cookiePair(again.response.headers.get('Set-Cookie')!);
    const good = await platformPost(again.response.headers.get('Location')!);
    expect((await launchRoute.action(args(launchRequest(good, goodCookie)))).status).toBe(303);
    expect((await launchRoute.action(args(launchRequest(good, goodCookie)))).status).toBe(400);
  });

  it('a GET (a reload, a bookmark) explains where to start: 405', async () => {
    const response = launchRoute.loader();
    expect(response.status).toBe(405);
    expect(await response.text()).toContain('Open ClassCast from your LMS');
  });
});
