/**
 * /api/* accepts the user pool's ACCESS tokens as Bearer beside our own: verified against the
 * pool's JWKS (issuer, client_id, token_use, expiry); everything else is a 401 envelope.
 */
import type { APIRequestContext } from '@playwright/test';
import { startLocalIssuer } from '../tools/oidc-local';
import { expect, newUserData, test } from './fixtures';
import { aPoolToken, aSchoolUser, type SchoolUser } from './school-accounts';

async function me(api: APIRequestContext, token: string) {
  const res = await api.get('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status(), body: await res.json() };
}

/** The first sign-in happens on the web (it links the pool's sub to a ClassCast user). */
async function signedInOnce(api: APIRequestContext, user: SchoolUser) {
  const res = await api.get(`/auth/cognito?login_hint=${encodeURIComponent(user.username)}`);
  expect(new URL(res.url()).pathname).toBe('/dashboard');
}

function expectRefused({ status, body }: { status: number; body: any }, message?: RegExp) {
  expect(status).toBe(401);
  expect(body).toMatchObject({ success: false, code: 'INVALID_TOKEN' });
  if (message) expect(body.error).toMatch(message);
}

test('a pool access token is accepted as Bearer for the user its sub is linked to', async ({ playwright, baseURL }) => {
  const web = await playwright.request.newContext({ baseURL });
  const user = await aSchoolUser(['instructor']);
  await signedInOnce(web, user);
  const viaCookie = await (await web.get('/api/auth/me')).json();

  const bare = await playwright.request.newContext({ baseURL });
  const answer = await me(bare, await aPoolToken(user));
  expect(answer.status).toBe(200);
  expect(answer.body.user).toMatchObject({ id: viaCookie.user.id, email: user.email, role: 'instructor' });
});

test('our own Bearer tokens keep working beside the pool tokens', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const signup = await (await api.post('/api/auth/signup', { data: newUserData('student') })).json();
  const bare = await playwright.request.newContext({ baseURL });
  expect((await me(bare, signup.tokens.accessToken)).status).toBe(200);
});

test('a pool token for someone who never signed in on the web is refused, with the reason', async ({ request }) => {
  const stranger = await aSchoolUser(['student']);
  expectRefused(await me(request, await aPoolToken(stranger)), /sign in on the web/);
});

test('tampered, expired, id, other-client and other-pool tokens are refused', async ({ playwright, baseURL }) => {
  const web = await playwright.request.newContext({ baseURL });
  const user = await aSchoolUser(['student']);
  await signedInOnce(web, user);
  const bare = await playwright.request.newContext({ baseURL });

  const good = await aPoolToken(user);
  const [header, payload, signature] = good.split('.');
  const raised = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), 'cognito:groups': ['admin'] }),
  ).toString('base64url');
  expectRefused(await me(bare, `${header}.${raised}.${signature}`), /invalid/);
  expectRefused(await me(bare, await aPoolToken(user, { expiresIn: -60 })), /expired/);
  expectRefused(await me(bare, await aPoolToken(user, { tokenUse: 'id' })), /access token is required/);
  expectRefused(await me(bare, await aPoolToken(user, { clientId: 'another-app' })), /another application/);

  const otherPool = await startLocalIssuer({ users: [{ username: user.username, email: user.email, sub: user.sub }] });
  try {
    expectRefused(await me(bare, await otherPool.mintToken({ username: user.username })), /invalid/);
  } finally {
    await otherPool.stop();
  }
  expectRefused(await me(bare, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln'), /invalid/);
  expectRefused(await me(bare, 'not-a-jwt'));
});
