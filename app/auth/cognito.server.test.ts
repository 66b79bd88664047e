/**
 * Both legs of the code flow against the local issuer (tools/oidc-local), no browser: the
 * redirects are followed by hand so each cookie and parameter can be tampered with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoConfig } from '~/config.server';
import type { User } from '~/data/repository';
import { startLocalIssuer, type LocalIssuer } from '../../tools/oidc-local';
import type { CognitoIdentity } from './cognito-identity';
import { authenticateWithCognito, clearStateCookies, cognitoLogoutUrl } from './cognito.server';

const APP = 'http://127.0.0.1:3999';
let issuer: LocalIssuer;
let pool: CognitoConfig;

beforeAll(async () => {
  issuer = await startLocalIssuer();
  issuer.addUser({ username: 'grace', email: 'grace@school.example', emailVerified: true, groups: ['instructor'] });
  pool = {
    domain: issuer.url,
    clientId: issuer.clientId,
    clientSecret: null,
    redirectUri: `${APP}/auth/cognito/callback`,
    issuer: issuer.url,
    jwksUrl: issuer.jwksUrl,
    logoutUri: undefined,
    label: 'school account',
    scopes: ['openid', 'email', 'profile'],
  };
});
afterAll(() => issuer.stop());

const seen: CognitoIdentity[] = [];
const resolve = async (identity: CognitoIdentity) => {
  seen.push(identity);
  return { id: identity.sub } as User;
};

async function start(hint?: string) {
  const url = `${APP}/auth/cognito${hint ? `?login_hint=${hint}` : ''}`;
  const response = await authenticateWithCognito(new Request(url), pool, { secure: false, resolve }).catch((e) => e);
  expect(response).toBeInstanceOf(Response);
  const cookie = (response as Response).headers.get('Set-Cookie')!.split(';')[0];
  return { authorize: new URL((response as Response).headers.get('Location')!), cookie };
}

async function atIssuer(authorize: URL) {
  const answer = await fetch(authorize, { redirect: 'manual' });
  return new URL(answer.headers.get('Location')!);
}

const callback = (url: URL, cookie?: string) =>
  authenticateWithCognito(new Request(url, { headers: cookie ? { Cookie: cookie } : {} }), pool, {
    secure: false,
    resolve,
  });

describe('Cognito sign-in through the local issuer', () => {
  it('sends the browser to /oauth2/authorize with S256 PKCE, state and the login hint', async () => {
    const { authorize, cookie } = await start('grace');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${issuer.url}/oauth2/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('client_id')).toBe(issuer.clientId);
    expect(authorize.searchParams.get('login_hint')).toBe('grace');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(cookie).toMatch(/^classcast_cognito:/);
  });

  it('swaps the code and reads groups from the access token, email and names from userInfo', async () => {
    const { authorize, cookie } = await start('grace');
    const back = await atIssuer(authorize);
    const user = await callback(back, cookie);
    const identity = seen.at(-1)!;
    expect(user.id).toBe(identity.sub);
    expect(identity).toMatchObject({
      email: 'grace@school.example',
      emailVerified: true,
      groups: ['instructor'],
      username: 'grace',
    });
  });

  it('refuses a callback whose state it never issued', async () => {
    const { authorize, cookie } = await start('grace');
    const back = await atIssuer(authorize);
    back.searchParams.set('state', 'forged-state');
    await expect(callback(back, cookie)).rejects.toMatchObject({ name: 'CognitoSignInError', failure: 'state' });
  });

  it('refuses a callback without the state cookie (expired, or another browser)', async () => {
    const { authorize } = await start('grace');
    await expect(callback(await atIssuer(authorize))).rejects.toMatchObject({ failure: 'expired' });
  });

  it('refuses a verifier that does not match the challenge (the issuer checks PKCE)', async () => {
    const first = await start('grace');
    const second = await start('grace');
    const back = await atIssuer(first.authorize);
    // The second flow's cookie under the first flow's state: a verifier for another challenge.
    const secondValue = second.cookie.slice(second.cookie.indexOf('=') + 1);
    const params = new URLSearchParams(secondValue);
    const verifier = params.get(params.get('state')!)!;
    const state = back.searchParams.get('state')!;
    const swapped = `classcast_cognito:x=${new URLSearchParams({ state, [state]: verifier })}`;
    await expect(callback(back, swapped)).rejects.toMatchObject({ name: 'CognitoSignInError', failure: 'refused' });
  });

  it('reports an unknown user as cancelled (access_denied from the IdP)', async () => {
    const { authorize, cookie } = await start('nobody');
    const back = await atIssuer(authorize);
    expect(back.searchParams.get('error')).toBe('access_denied');
    await expect(callback(back, cookie)).rejects.toMatchObject({ failure: 'cancelled' });
  });

  it('reports an unreachable IdP as unavailable', async () => {
    const { authorize, cookie } = await start('grace');
    const back = await atIssuer(authorize);
    const down = { ...pool, domain: 'http://127.0.0.1:9' };
    await expect(
      authenticateWithCognito(new Request(back, { headers: { Cookie: cookie } }), down, { secure: false, resolve }),
    ).rejects.toMatchObject({ failure: 'unavailable' });
  });

  it('clears only its own state cookies, and builds the hosted /logout URL', () => {
    const request = new Request(APP, {
      headers: { Cookie: 'classcast_cognito:abc=1; other=2; classcast_cognito:def=3' },
    });
    expect(clearStateCookies(request, false)).toEqual([
      'classcast_cognito:abc=; Path=/auth/cognito; Max-Age=0; HttpOnly; SameSite=Lax',
      'classcast_cognito:def=; Path=/auth/cognito; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);
    const logout = new URL(cognitoLogoutUrl(pool, `${APP}/login`));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${issuer.url}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: issuer.clientId, logout_uri: `${APP}/login` });
  });
});
