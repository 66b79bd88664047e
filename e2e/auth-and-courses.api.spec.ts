/**
 * The JSON API at the original paths: envelope, statuses and every bad input of the
 * Foundation issue. Each test makes its own users.
 */
import type { APIRequestContext } from '@playwright/test';
import { createAccount, expect, newUserData, test, uniqueEmail } from './fixtures';

async function signupJson(request: APIRequestContext, data: object) {
  const res = await request.post('/api/auth/signup', { data });
  return { status: res.status(), body: await res.json() };
}

function expectError(body: any, code: string) {
  expect(body).toMatchObject({ success: false, code });
  expect(typeof body.error).toBe('string');
  expect(body.error.length).toBeGreaterThan(0);
}

test.describe('signup', () => {
  test('returns user and tokens with the original keys, never the password hash', async ({ request }) => {
    const user = newUserData('student');
    const { status, body } = await signupJson(request, { ...user, studentId: 'S-42' });
    expect(status).toBe(201);
    expect(body.success).toBe(true);
    expect(body.user).toMatchObject({
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      role: 'student',
      studentId: 'S-42',
      emailVerified: false,
      avatar: null,
      bio: null,
    });
    expect(body.user.id).toBeTruthy();
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|argon2/);
    expect(body.tokens.accessToken.split('.')).toHaveLength(3);
    expect(body.tokens.refreshToken.split('.')).toHaveLength(3);
  });

  test('the original UI alias /api/auth/signup-simple works too', async ({ request }) => {
    const res = await request.post('/api/auth/signup-simple', { data: newUserData('instructor') });
    expect(res.status()).toBe(201);
    expect((await res.json()).user.role).toBe('instructor');
  });

  test('rejects an existing email in any case with 409', async ({ request }) => {
    const user = await createAccount(request, 'student');
    const { status, body } = await signupJson(request, {
      ...newUserData('student'),
      email: `  ${user.email.toUpperCase()} `,
    });
    expect(status).toBe(409);
    expectError(body, 'EMAIL_TAKEN');
  });

  test('only one of many concurrent signups with one email succeeds', async ({ playwright, baseURL }) => {
    const email = uniqueEmail('race');
    const contexts = await Promise.all(Array.from({ length: 6 }, () => playwright.request.newContext({ baseURL })));
    const statuses = await Promise.all(
      contexts.map((c) =>
        c.post('/api/auth/signup', { data: { ...newUserData('student'), email } }).then((r) => r.status()),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    await Promise.all(contexts.map((c) => c.dispose()));
  });

  for (const [label, patch, field] of [
    ['a malformed email', { email: 'nope@' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['a role of admin', { role: 'admin' }, 'role'],
    ['a missing first name', { firstName: undefined }, 'firstName'],
  ] as const) {
    test(`rejects ${label} with 400 and names the field`, async ({ request }) => {
      const data: Record<string, unknown> = { ...newUserData('student'), ...patch };
      const { status, body } = await signupJson(request, data);
      expect(status).toBe(400);
      expectError(body, 'VALIDATION_ERROR');
      expect(Object.keys(body.details.fields)).toContain(field);
      // Nothing was written: the same email can still sign up properly.
      if (field !== 'email') {
        const retry = await signupJson(request, { ...newUserData('student'), email: data.email });
        expect(retry.status).toBe(201);
      }
    });
  }

  test('rejects a body that is not JSON, or not an object', async ({ request }) => {
    const res = await request.post('/api/auth/signup', {
      headers: { 'Content-Type': 'application/json' },
      data: '{"email":',
    });
    expect(res.status()).toBe(400);
    expectError(await res.json(), 'INVALID_JSON');
    const arr = await request.post('/api/auth/signup', {
      headers: { 'Content-Type': 'application/json' },
      data: '[1,2]',
    });
    expect(arr.status()).toBe(400);
  });

  test('GET on a POST-only endpoint is 405 in the JSON envelope', async ({ request }) => {
    const res = await request.get('/api/auth/login');
    expect(res.status()).toBe(405);
    expect(res.headers()['allow']).toBe('POST');
    expect((await res.json()).success).toBe(false);
  });
});

test.describe('login, me, refresh, logout', () => {
  test('login works with the email in another case and returns user + tokens + a session cookie', async ({
    request,
  }) => {
    const user = await createAccount(request, 'student');
    await request.post('/api/auth/logout');
    const res = await request.post('/api/auth/login', {
      data: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.user.email).toBe(user.email);
    expect(body.tokens.accessToken).toBeTruthy();
    expect(res.headers()['set-cookie']).toMatch(/__classcast_session=.*HttpOnly.*SameSite=Lax/i);
    expect(res.headers()['cache-control']).toMatch(/no-store/);
    const me = await request.get('/api/auth/me');
    expect((await me.json()).user.email).toBe(user.email);
  });

  test('a wrong password and an unknown email get the same 401 answer', async ({ request }) => {
    const user = await createAccount(request, 'student');
    const wrong = await request.post('/api/auth/login', { data: { email: user.email, password: 'wrong-password' } });
    const unknown = await request.post('/api/auth/login', {
      data: { email: uniqueEmail('ghost'), password: 'wrong-password' },
    });
    expect(wrong.status()).toBe(401);
    expect(unknown.status()).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual(b);
    expectError(a, 'INVALID_CREDENTIALS');
  });

  test('repeated failures lock the account with 429 and Retry-After', async ({ request }) => {
    const user = await createAccount(request, 'student');
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (
        await request.post('/api/auth/login', { data: { email: user.email, password: `wrong-${i}-pass` } })
      ).status();
    }
    expect(last).toBe(429);
    const locked = await request.post('/api/auth/login', { data: { email: user.email, password: user.password } });
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()['retry-after'])).toBeGreaterThan(0);
    expectError(await locked.json(), 'RATE_LIMITED');
  });

  test('login with missing fields is 400', async ({ request }) => {
    const res = await request.post('/api/auth/login', { data: { email: uniqueEmail('x') } });
    expect(res.status()).toBe(400);
    expectError(await res.json(), 'VALIDATION_ERROR');
  });

  test('me: Bearer works; missing, tampered or malformed credentials are 401', async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const signup = await (await api.post('/api/auth/signup', { data: newUserData('student') })).json();
    const bare = await playwright.request.newContext({ baseURL });
    const ok = await bare.get('/api/auth/me', { headers: { Authorization: `Bearer ${signup.tokens.accessToken}` } });
    expect(ok.status()).toBe(200);
    expect((await ok.json()).user.id).toBe(signup.user.id);

    expect((await bare.get('/api/auth/me')).status()).toBe(401);
    const token: string = signup.tokens.accessToken;
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const bad = await bare.get('/api/auth/me', { headers: { Authorization: `Bearer ${tampered}` } });
    expect(bad.status()).toBe(401);
    expectError(await bad.json(), 'INVALID_TOKEN');
    expect((await bare.get('/api/auth/me', { headers: { Authorization: 'Basic abc' } })).status()).toBe(401);
    // A refresh token is not an access token.
    const wrongKind = await bare.get('/api/auth/me', {
      headers: { Authorization: `Bearer ${signup.tokens.refreshToken}` },
    });
    expect(wrongKind.status()).toBe(401);
    // A tampered session cookie is simply no session.
    const cookie = await bare.get('/api/auth/me', {
      headers: { Cookie: '__classcast_session=eyJ1c2VySWQiOiJ4In0%3D.forged' },
    });
    expect(cookie.status()).toBe(401);
    await api.dispose();
    await bare.dispose();
  });

  test('refresh rotates; a reused refresh token is refused and revokes the session', async ({ request }) => {
    const user = newUserData('student');
    const { body } = await signupJson(request, user);
    const first = body.tokens.refreshToken;
    const r1 = await request.post('/api/auth/refresh', { data: { refreshToken: first } });
    expect(r1.status()).toBe(200);
    const second = (await r1.json()).tokens.refreshToken;
    expect(second).not.toBe(first);

    const reuse = await request.post('/api/auth/refresh', { data: { refreshToken: first } });
    expect(reuse.status()).toBe(401);
    expectError(await reuse.json(), 'INVALID_TOKEN');
    // Reuse revoked the session: the newer token is dead too.
    expect((await request.post('/api/auth/refresh', { data: { refreshToken: second } })).status()).toBe(401);
    // A fresh login still works.
    const again = await request.post('/api/auth/login', { data: { email: user.email, password: user.password } });
    expect(again.status()).toBe(200);
  });

  test('refresh with no token, or garbage, is 400 / 401', async ({ request }) => {
    expect((await request.post('/api/auth/refresh', { data: {} })).status()).toBe(400);
    expect((await request.post('/api/auth/refresh', { data: { refreshToken: 'a.b.c' } })).status()).toBe(401);
  });

  test('logout revokes the refresh token and ends the cookie session', async ({ request }) => {
    const { body } = await signupJson(request, newUserData('student'));
    const out = await request.post('/api/auth/logout', { data: { refreshToken: body.tokens.refreshToken } });
    expect(out.status()).toBe(200);
    expect((await out.json()).message).toBeTruthy();
    expect((await request.get('/api/auth/me')).status()).toBe(401);
    expect(
      (await request.post('/api/auth/refresh', { data: { refreshToken: body.tokens.refreshToken } })).status(),
    ).toBe(401);
  });
});

test.describe('courses', () => {
  test('an instructor creates a course; the list has the original envelope', async ({ request }) => {
    await createAccount(request, 'instructor');
    const res = await request.post('/api/courses', {
      data: { title: 'Physics', code: 'PHY-1', description: 'Motion' },
    });
    expect(res.status()).toBe(201);
    const created = (await res.json()).data;
    expect(created).toMatchObject({ title: 'Physics', code: 'PHY-1', description: 'Motion', myRole: 'instructor' });
    expect(created.joinCode).toMatch(/^[A-Z0-9]{7}$/);
    const list = await (await request.get('/api/courses')).json();
    expect(list.success).toBe(true);
    expect(list.data.courses.map((c: { id: string }) => c.id)).toContain(created.id);
    expect(list.nextCursor).toBeNull();
  });

  test('students cannot create courses (403) and anonymous callers get 401', async ({
    request,
    playwright,
    baseURL,
  }) => {
    await createAccount(request, 'student');
    const res = await request.post('/api/courses', { data: { title: 'Mine', code: 'X' } });
    expect(res.status()).toBe(403);
    expectError(await res.json(), 'FORBIDDEN');
    const anon = await playwright.request.newContext({ baseURL });
    expect((await anon.get('/api/courses')).status()).toBe(401);
    expect((await anon.post('/api/courses', { data: { title: 'x', code: 'y' } })).status()).toBe(401);
    await anon.dispose();
  });

  test('course validation and a taken join code', async ({ request }) => {
    await createAccount(request, 'instructor');
    const missing = await request.post('/api/courses', { data: { code: 'X' } });
    expect(missing.status()).toBe(400);
    expect((await missing.json()).details.fields.title).toBeTruthy();
    const code = `JC${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    expect((await request.post('/api/courses', { data: { title: 'A', code: 'A', joinCode: code } })).status()).toBe(
      201,
    );
    const clash = await request.post('/api/courses', { data: { title: 'B', code: 'B', joinCode: code.toLowerCase() } });
    expect(clash.status()).toBe(409);
    expectError(await clash.json(), 'JOIN_CODE_TAKEN');
  });

  test('students join with the code; a wrong code is 404, joining twice 409; students never see the code', async ({
    playwright,
    baseURL,
  }) => {
    const teacher = await playwright.request.newContext({ baseURL });
    await createAccount(teacher, 'instructor');
    const course = (await (await teacher.post('/api/courses', { data: { title: 'History', code: 'H-1' } })).json())
      .data;

    const student = await playwright.request.newContext({ baseURL });
    await createAccount(student, 'student');
    const wrong = await student.post('/api/courses/join', { data: { joinCode: 'NOPE000' } });
    expect(wrong.status()).toBe(404);
    expectError(await wrong.json(), 'INVALID_JOIN_CODE');
    const joined = await student.post('/api/courses/join', { data: { joinCode: course.joinCode.toLowerCase() } });
    expect(joined.status()).toBe(201);
    const twice = await student.post('/api/courses/join', { data: { joinCode: course.joinCode } });
    expect(twice.status()).toBe(409);
    expectError(await twice.json(), 'ALREADY_ENROLLED');

    const mine = (await (await student.get('/api/courses')).json()).data.courses;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: course.id, title: 'History', myRole: 'student' });
    expect(mine[0].joinCode).toBeUndefined();
    await teacher.dispose();
    await student.dispose();
  });

  test('cursor pagination on my courses; a bad limit or cursor is 400', async ({ request }) => {
    await createAccount(request, 'instructor');
    for (let i = 0; i < 3; i++) await request.post('/api/courses', { data: { title: `C${i}`, code: `C${i}` } });
    const first = await (await request.get('/api/courses?limit=2')).json();
    expect(first.data.courses.map((c: { title: string }) => c.title)).toEqual(['C2', 'C1']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (
      await request.get(`/api/courses?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json();
    expect(second.data.courses.map((c: { title: string }) => c.title)).toEqual(['C0']);
    expect(second.nextCursor).toBeNull();
    expect((await request.get('/api/courses?limit=0')).status()).toBe(400);
    expect((await request.get('/api/courses?limit=abc')).status()).toBe(400);
    const bad = await request.get('/api/courses?cursor=garbage!!');
    expect(bad.status()).toBe(400);
    expectError(await bad.json(), 'INVALID_CURSOR');
  });

  test('the instructor edits name, description and join code; nobody else can', async ({ playwright, baseURL }) => {
    const teacher = await playwright.request.newContext({ baseURL });
    await createAccount(teacher, 'instructor');
    const course = (await (await teacher.post('/api/courses', { data: { title: 'Old', code: 'O-1' } })).json()).data;
    const other = (await (await teacher.post('/api/courses', { data: { title: 'Other', code: 'O-2' } })).json()).data;
    const newCode = `NC${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    const edited = await teacher.patch(`/api/courses/${course.id}`, {
      data: { title: 'New name', description: 'Fresh', joinCode: newCode },
    });
    expect(edited.status()).toBe(200);
    expect((await edited.json()).data).toMatchObject({ title: 'New name', description: 'Fresh', joinCode: newCode });
    const clash = await teacher.patch(`/api/courses/${course.id}`, { data: { joinCode: other.joinCode } });
    expect(clash.status()).toBe(409);
    expect((await teacher.patch(`/api/courses/${course.id}`, { data: { title: '' } })).status()).toBe(400);

    const student = await playwright.request.newContext({ baseURL });
    await createAccount(student, 'student');
    expect((await student.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(404);
    expect((await student.post('/api/courses/join', { data: { joinCode: newCode } })).status()).toBe(201);
    expect((await student.patch(`/api/courses/${course.id}`, { data: { title: 'Mine now' } })).status()).toBe(403);
    const roster = (await (await student.get(`/api/courses/${course.id}`)).json()).data;
    expect(roster.roster).toBeNull();
    expect(roster.course.joinCode).toBeUndefined();
    const stranger = await playwright.request.newContext({ baseURL });
    await createAccount(stranger, 'instructor');
    expect((await stranger.patch(`/api/courses/${course.id}`, { data: { title: 'Taken' } })).status()).toBe(403);
    expect((await stranger.get(`/api/courses/${course.id}`)).status()).toBe(403);
    await Promise.all([teacher.dispose(), student.dispose(), stranger.dispose()]);
  });
});
