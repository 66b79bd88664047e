/**
 * The JSON twins of settings, with Bearer tokens: the sessions list, signing out one session or
 * every other one (a token dies with its session at once), a password change that keeps the
 * caller's session, mail choices, a change of address confirmed from the new mailbox, and
 * deleting the account.
 */
import type { APIRequestContext } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { linkTo, waitForMail } from './mailbox';

async function tokensFor(api: APIRequestContext, email: string, password: string) {
  const res = await api.post('/api/auth/login', { data: { email, password } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).tokens as { accessToken: string; refreshToken: string };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test('sessions are listed and signed out; a token dies with its session', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Pia');
  const laptop = await tokensFor(api, user.email, user.password);
  const phone = await tokensFor(api, user.email, user.password);

  const listed = await api.get('/api/account/sessions', { headers: bearer(laptop.accessToken) });
  expect(listed.status()).toBe(200);
  const { sessions } = await listed.json();
  expect(sessions.length).toBeGreaterThanOrEqual(3);
  expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
  const phoneSession = (
    await (await api.get('/api/account/sessions', { headers: bearer(phone.accessToken) })).json()
  ).sessions.find((s: { current: boolean }) => s.current);

  // Someone else cannot sign out Pia's phone by its id.
  const other = await playwright.request.newContext({ baseURL });
  const stranger = await createAccount(other, 'student', 'Rex');
  const strangerTokens = await tokensFor(other, stranger.email, stranger.password);
  const refused = await other.delete(`/api/account/sessions/${phoneSession.id}`, {
    headers: bearer(strangerTokens.accessToken),
  });
  expect(refused.status()).toBe(404);
  expect((await api.get('/api/auth/me', { headers: bearer(phone.accessToken) })).status()).toBe(200);

  // Pia signs out her phone from the laptop: its access token is refused at once.
  const out = await api.delete(`/api/account/sessions/${phoneSession.id}`, { headers: bearer(laptop.accessToken) });
  expect(out.status(), await out.text()).toBe(200);
  const dead = await api.get('/api/auth/me', { headers: bearer(phone.accessToken) });
  expect(dead.status()).toBe(401);
  expect((await dead.json()).code).toBe('INVALID_TOKEN');
  expect((await api.post('/api/auth/refresh', { data: { refreshToken: phone.refreshToken } })).status()).toBe(401);

  // "Everywhere else" leaves only the laptop.
  const rest = await api.delete('/api/account/sessions', { headers: bearer(laptop.accessToken) });
  expect(rest.status()).toBe(200);
  expect((await rest.json()).revokedSessions).toBeGreaterThanOrEqual(1);
  const left = (await (await api.get('/api/account/sessions', { headers: bearer(laptop.accessToken) })).json())
    .sessions;
  expect(left).toHaveLength(1);
  expect(left[0].current).toBe(true);
  await Promise.all([api.dispose(), other.dispose()]);
});

test('a password change asks the current one and keeps only this session', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Quin');
  const mine = await tokensFor(api, user.email, user.password);
  const elsewhere = await tokensFor(api, user.email, user.password);

  const wrong = await api.post('/api/account/password', {
    headers: bearer(mine.accessToken),
    data: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-pass-1' },
  });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).details.fields.currentPassword).toBeTruthy();
  const short = await api.post('/api/account/password', {
    headers: bearer(mine.accessToken),
    data: { currentPassword: user.password, newPassword: 'x' },
  });
  expect(short.status()).toBe(400);
  expect((await short.json()).details.fields.newPassword).toBeTruthy();

  const ok = await api.post('/api/account/password', {
    headers: bearer(mine.accessToken),
    data: { currentPassword: user.password, newPassword: 'brand-new-pass-1' },
  });
  expect(ok.status(), await ok.text()).toBe(200);
  expect((await ok.json()).revokedSessions).toBeGreaterThanOrEqual(1);
  expect((await api.get('/api/auth/me', { headers: bearer(mine.accessToken) })).status()).toBe(200);
  expect((await api.get('/api/auth/me', { headers: bearer(elsewhere.accessToken) })).status()).toBe(401);
  const old = await api.post('/api/auth/login', { data: { email: user.email, password: user.password } });
  expect(old.status()).toBe(401);
  await tokensFor(api, user.email, 'brand-new-pass-1');
  await api.dispose();
});

test('mail choices are read, replaced and patched', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Rui');
  const { accessToken } = await tokensFor(api, user.email, user.password);
  const read = await api.get('/api/account/mail-preferences', { headers: bearer(accessToken) });
  expect(read.status()).toBe(200);
  expect(Object.keys((await read.json()).mailPreferences).sort()).toEqual([
    'announcements',
    'digest',
    'grades',
    'messages',
  ]);
  const put = await api.put('/api/account/mail-preferences', {
    headers: bearer(accessToken),
    data: { grades: true, messages: false, announcements: true, digest: true },
  });
  expect(put.status(), await put.text()).toBe(200);
  const patched = await api.patch('/api/account/mail-preferences', {
    headers: bearer(accessToken),
    data: { digest: false },
  });
  expect((await patched.json()).mailPreferences).toEqual({
    grades: true,
    messages: false,
    announcements: true,
    digest: false,
  });
  const bad = await api.put('/api/account/mail-preferences', {
    headers: bearer(accessToken),
    data: { grades: 'sometimes' },
  });
  expect(bad.status()).toBe(400);
  await api.dispose();
});

test('a new address counts once the link mailed to it is opened', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Sol');
  const taken = await createAccount(api, 'student', 'Tam');
  const { accessToken } = await tokensFor(api, user.email, user.password);
  const change = (data: Record<string, string>) =>
    api.post('/api/account/email', { headers: bearer(accessToken), data });

  const badPassword = await change({ email: `new-${user.email}`, currentPassword: 'wrong-password-1' });
  expect(badPassword.status()).toBe(401);
  expect((await change({ email: 'nope', currentPassword: user.password })).status()).toBe(400);
  const clash = await change({ email: taken.email, currentPassword: user.password });
  expect(clash.status()).toBe(409);

  const newEmail = `moved-${user.email}`;
  const started = await change({ email: newEmail, currentPassword: user.password });
  expect(started.status(), await started.text()).toBe(202);
  expect((await started.json()).pendingEmail).toBe(newEmail.toLowerCase());
  // Until the link is opened, the old address is the account's.
  expect((await (await api.get('/api/auth/me', { headers: bearer(accessToken) })).json()).user.email).toBe(
    user.email.toLowerCase(),
  );
  const mail = await waitForMail(api, { to: newEmail, subject: 'Confirm your new ClassCast email address' });
  const token = decodeURIComponent(new URL(linkTo(mail, '/verify-email/')).pathname.split('/').pop()!);
  const confirmed = await api.post('/api/auth/verify-email', { data: { token } });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  expect((await confirmed.json()).user).toMatchObject({ email: newEmail.toLowerCase(), emailVerified: true });
  await tokensFor(api, newEmail, user.password);
  expect((await api.post('/api/auth/login', { data: { email: user.email, password: user.password } })).status()).toBe(
    401,
  );
  await api.dispose();
});

test('deleting the account needs DELETE and ends every sign-in', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Uma');
  const { accessToken, refreshToken } = await tokensFor(api, user.email, user.password);
  const unconfirmed = await api.delete('/api/account', { headers: bearer(accessToken), data: { confirm: 'yes' } });
  expect(unconfirmed.status()).toBe(400);
  const deleted = await api.delete('/api/account', { headers: bearer(accessToken), data: { confirm: 'DELETE' } });
  expect(deleted.status(), await deleted.text()).toBe(200);
  expect((await api.get('/api/auth/me', { headers: bearer(accessToken) })).status()).toBe(401);
  expect((await api.post('/api/auth/refresh', { data: { refreshToken } })).status()).toBe(401);
  expect((await api.post('/api/auth/login', { data: { email: user.email, password: user.password } })).status()).toBe(
    401,
  );
  await api.dispose();
});
