/**
 * /lti/login and /lti/launch over HTTP against the real server (issue 14, "Bad input gets a
 * clear error"): every refused launch answers a plain HTML page with the error's status and
 * sets no session; a launch posted again is refused. Each case runs its own login first (a
 * state and nonce are single use), then posts an id_token the fake LMS signed and the test
 * shaped. The verification rules themselves are unit-tested in app/auth/lti and
 * app/services/lti-launch.server.test.ts; this proves the routes answer them as pages.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import type { JWTPayload } from 'jose';
import { CLAIM } from '../app/auth/lti/claims';
import type { FakePlatform } from '../tools/lti-platform';
import { expect, test } from './fixtures';
import { aRegisteredLms } from './lti-platforms';

const SESSION_COOKIES = /__classcast_(lti_)?session=[^;]/;

/** The cookies a response set, as one Cookie header (name=value pairs). */
function cookiesOf(res: APIResponse): string {
  return res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value.split(';')[0])
    .join('; ');
}

function setCookies(res: APIResponse): string[] {
  return res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);
}

/** The login the LMS's frame starts: ClassCast answers with the OIDC redirect and the state cookie. */
async function login(api: APIRequestContext, lms: FakePlatform) {
  const res = await api.get(lms.loginUrl({ user: 'instructor', kind: 'resource' }), { maxRedirects: 0 });
  expect(res.status(), await res.text()).toBe(302);
  const to = new URL(res.headers().location);
  expect(`${to.origin}${to.pathname}`).toBe(`${lms.url}/auth`);
  const state = to.searchParams.get('state')!;
  const nonce = to.searchParams.get('nonce')!;
  expect(state).toBeTruthy();
  expect(nonce).toBeTruthy();
  return { state, nonce, cookie: cookiesOf(res) };
}

/** The LMS's form post of the id_token, from its origin, with (or without) the browser's state cookie. */
function launch(api: APIRequestContext, lms: FakePlatform, form: Record<string, string>, cookie: string) {
  return api.post('/lti/launch', {
    form,
    headers: { Origin: lms.url, ...(cookie ? { Cookie: cookie } : {}) },
    maxRedirects: 0,
  });
}

async function expectRefusal(res: APIResponse, status: number, heading: string | RegExp) {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()['content-type']).toMatch(/^text\/html/);
  expect(res.headers()['cache-control']).toBe('no-store');
  const html = await res.text();
  expect(html).toMatch(typeof heading === 'string' ? new RegExp(`<h1[^>]*>${heading}</h1>`) : heading);
  expect(html).not.toMatch(/Something went wrong|stack|Error:/);
  expect(setCookies(res).filter((c) => SESSION_COOKIES.test(c))).toEqual([]);
}

test.describe.configure({ mode: 'serial' });

test.describe('LTI launch over HTTP', () => {
  let lms: FakePlatform;
  let api: APIRequestContext;
  /** Another browser: it never started the login whose state it posts. */
  let elsewhere: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    lms = await aRegisteredLms(playwright, baseURL!);
    // Its jar keeps the state cookies too (Secure counts as secure on 127.0.0.1); the explicit
    // Cookie header says which one each launch is meant to carry.
    api = await playwright.request.newContext({ baseURL });
    elsewhere = await playwright.request.newContext({ baseURL });
  });

  test.afterAll(async () => {
    await api?.dispose();
    await elsewhere?.dispose();
    await lms?.stop();
  });

  test('a good launch signs in inside the frame; posting it again is refused', async () => {
    const { state, nonce, cookie } = await login(api, lms);
    expect(cookie).toMatch(new RegExp(`lti_state_${state}=1`));
    const idToken = await lms.signIdToken(lms.launchClaims({ user: 'instructor', kind: 'resource', nonce }));
    const ok = await launch(api, lms, { id_token: idToken, state }, cookie);
    expect(ok.status(), await ok.text()).toBe(303);
    expect(ok.headers().location).toMatch(/^\/courses\/[0-9A-Z]{26}\?lti_session=/);
    const session = setCookies(ok).find((c) => c.startsWith('__classcast_lti_session='));
    expect(session).toMatch(/SameSite=None/i);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; Partitioned/i);

    // The same form again (a replay, a double submit, a captured post): state and nonce are spent.
    await expectRefusal(
      await launch(api, lms, { id_token: idToken, state }, cookie),
      400,
      'This launch could not be finished',
    );
  });

  const badTokens: {
    name: string;
    shape?: (claims: JWTPayload) => void;
    sign?: { expiresInSeconds?: number; kid?: string };
    tamper?: boolean;
    status: number;
    heading: string;
  }[] = [
    { name: 'a bad signature', tamper: true, status: 401, heading: 'The launch could not be verified' },
    {
      name: 'a key the LMS never published',
      sign: { kid: 'not-in-the-jwks' },
      status: 401,
      heading: 'The launch could not be verified',
    },
    {
      name: 'another issuer',
      shape: (c) => void (c.iss = 'https://impostor.example.edu'),
      status: 401,
      heading: 'The launch could not be verified',
    },
    {
      name: 'another audience',
      shape: (c) => Object.assign(c, { aud: ['some-other-tool'], azp: 'some-other-tool' }),
      status: 401,
      heading: 'The launch could not be verified',
    },
    { name: 'an expired token', sign: { expiresInSeconds: -120 }, status: 401, heading: 'The launch took too long' },
    {
      name: 'an unknown deployment',
      shape: (c) => void (c[CLAIM.deploymentId] = 'deployment-nobody-registered'),
      status: 403,
      heading: 'This LMS deployment is not registered',
    },
    {
      name: 'a missing claim',
      shape: (c) => void delete c[CLAIM.resourceLink],
      status: 400,
      heading: 'The launch could not be verified',
    },
    {
      name: 'a message type ClassCast does not handle',
      shape: (c) => void (c[CLAIM.messageType] = 'LtiSubmissionReviewRequest'),
      status: 400,
      heading: 'The launch could not be verified',
    },
    {
      name: 'a token issued for another login (its nonce)',
      shape: (c) => void (c.nonce = 'a-nonce-from-someone-elses-launch'),
      status: 400,
      heading: 'This launch could not be finished',
    },
  ];

  for (const bad of badTokens) {
    test(`a launch with ${bad.name} gets a plain ${bad.status} page and no session`, async () => {
      const { state, nonce, cookie } = await login(api, lms);
      const claims = lms.launchClaims({ user: 'instructor', kind: 'resource', nonce });
      bad.shape?.(claims);
      let idToken = await lms.signIdToken(claims, bad.sign);
      if (bad.tamper) {
        // Same header and claims, one signature byte changed.
        const [h, p, sig] = idToken.split('.');
        idToken = `${h}.${p}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
      }
      await expectRefusal(await launch(api, lms, { id_token: idToken, state }, cookie), bad.status, bad.heading);
    });
  }

  test('a launch without the login’s state cookie, or with no state, is refused', async () => {
    const { state, nonce } = await login(api, lms);
    const idToken = await lms.signIdToken(lms.launchClaims({ user: 'instructor', kind: 'resource', nonce }));
    // Another page posting a state it obtained for itself: this browser never started that login.
    await expectRefusal(
      await launch(elsewhere, lms, { id_token: idToken, state }, ''),
      400,
      'This launch could not be finished',
    );
    await expectRefusal(
      await launch(elsewhere, lms, { id_token: idToken }, ''),
      400,
      'This launch could not be finished',
    );
    // The real browser's login was not burnt by the forged post.
    const again = await login(api, lms);
    const token = await lms.signIdToken(lms.launchClaims({ user: 'instructor', kind: 'resource', nonce: again.nonce }));
    expect((await launch(api, lms, { id_token: token, state: again.state }, again.cookie)).status()).toBe(303);
  });

  test('an id_token that is not a JWT is refused as unreadable', async () => {
    const { state, cookie } = await login(api, lms);
    await expectRefusal(
      await launch(api, lms, { id_token: 'not.a.jwt', state }, cookie),
      400,
      'The launch could not be verified',
    );
  });

  test('a login request without its fields, or from an LMS nobody registered, is a plain 400', async () => {
    await expectRefusal(await api.get('/lti/login', { maxRedirects: 0 }), 400, 'The LMS sent an incomplete request');
    const stranger = new URL(lms.loginUrl({ user: 'instructor', kind: 'resource' }));
    stranger.searchParams.set('iss', 'https://unregistered.example.edu');
    await expectRefusal(
      await api.get(`${stranger.pathname}${stranger.search}`, { maxRedirects: 0 }),
      400,
      'This LMS is not registered',
    );
    // A bookmarked launch URL (a GET) explains itself.
    await expectRefusal(await api.get('/lti/launch', { maxRedirects: 0 }), 405, 'Open ClassCast from your LMS');
  });
});
