/**
 * Users of the local Cognito stand-in the e2e server runs (tools/oidc-local), created per test
 * through its test-only control endpoint: each test signs in as its own pool user.
 */
import { expect } from '@playwright/test';
import { uniqueEmail } from './fixtures';

export const ISSUER_URL = `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;

export interface SchoolUser {
  username: string;
  email: string;
  sub: string;
  groups: string[];
}

export async function aSchoolUser(
  groups: string[],
  {
    emailVerified = true,
    email,
    sameAs,
  }: {
    emailVerified?: boolean;
    email?: string;
    /** Re-register this pool user (new groups, same sub). */ sameAs?: SchoolUser;
  } = {},
): Promise<SchoolUser> {
  const address = sameAs?.email ?? email ?? uniqueEmail('pool');
  const username = sameAs?.username ?? address.split('@')[0];
  const res = await fetch(`${ISSUER_URL}/local/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username,
      email: address,
      emailVerified,
      groups,
      givenName: groups.includes('instructor') ? 'Ida' : 'Sky',
      familyName: 'Pool',
      ...(sameAs ? { sub: sameAs.sub } : {}),
    }),
  });
  expect(res.status).toBe(201);
  const { sub } = (await res.json()) as { sub: string };
  return { username, email: address, sub, groups };
}

/** A token as the pool signs it, shaped by the test (expired, an id token, another client). */
export async function aPoolToken(
  user: SchoolUser,
  options: { tokenUse?: 'access' | 'id'; clientId?: string; expiresIn?: number } = {},
): Promise<string> {
  const res = await fetch(`${ISSUER_URL}/local/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user.username, ...options }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}
