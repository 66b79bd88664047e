/** The JSON twins of password reset and email confirmation, with bad input. */
import { createAccount, expect, test } from './fixtures';
import { linkTo, waitForMail } from './mailbox';

test('forgot-password answers 202 for any address; reset-password sets it once', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Ola');
  const login = await api.post('/api/auth/login', { data: { email: user.email, password: user.password } });
  const { refreshToken } = (await login.json()).tokens;

  for (const email of [user.email, `nobody-${Date.now()}@e2e.test`]) {
    const res = await api.post('/api/auth/forgot-password', { data: { email } });
    expect(res.status()).toBe(202);
    expect((await res.json()).message).toContain('If an account exists');
  }
  expect((await api.post('/api/auth/forgot-password', { data: { email: 'not an email' } })).status()).toBe(400);

  const mail = await waitForMail(api, { to: user.email, subject: 'Reset your ClassCast password' });
  const token = decodeURIComponent(new URL(linkTo(mail, '/reset-password/')).pathname.split('/').pop()!);
  expect((await api.post('/api/auth/reset-password', { data: { token, password: 'x' } })).status()).toBe(400);
  const bad = await api.post('/api/auth/reset-password', {
    data: { token: `${token}x`, password: 'long-enough-pass' },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).code).toBe('INVALID_LINK');
  const ok = await api.post('/api/auth/reset-password', { data: { token, password: 'long-enough-pass' } });
  expect(ok.status(), await ok.text()).toBe(200);
  expect(
    (await api.post('/api/auth/reset-password', { data: { token, password: 'long-enough-pass2' } })).status(),
  ).toBe(400);
  // The refresh token from before the reset is dead.
  expect((await api.post('/api/auth/refresh', { data: { refreshToken } })).status()).toBe(401);
  await api.dispose();
});

test('verify-email confirms once; resend-verification needs a sign-in', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const user = await createAccount(api, 'student', 'Ivo');
  const mail = await waitForMail(api, { to: user.email, subject: 'Confirm your ClassCast email address' });
  const token = decodeURIComponent(new URL(linkTo(mail, '/verify-email/')).pathname.split('/').pop()!);
  const ok = await api.post('/api/auth/verify-email', { data: { token } });
  expect(ok.status(), await ok.text()).toBe(200);
  expect((await ok.json()).user.emailVerified).toBe(true);
  expect((await api.post('/api/auth/verify-email', { data: { token } })).status()).toBe(400);
  expect((await api.post('/api/auth/verify-email', { data: {} })).status()).toBe(400);
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.post('/api/auth/resend-verification')).status()).toBe(401);
  await Promise.all([api.dispose(), anonymous.dispose()]);
});
