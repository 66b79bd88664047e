/**
 * The study-buddy, profile, avatar and user-directory JSON API at the original paths:
 * envelope, statuses and the refusals of the Community issue. Each test makes its own users.
 */
import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { newClient } from './course-builders';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function person(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
  role: 'student' | 'instructor',
  name: string,
) {
  const client = await newClient(playwright, baseURL);
  const user = await createAccount(client, role, name);
  const me = (await (await client.get('/api/auth/me')).json()).user;
  return { client, user, id: me.id as string };
}

/** An instructor's course with two enrolled students and one student from elsewhere. */
async function aClass(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string | undefined) {
  const teacher = await person(playwright, baseURL, 'instructor', 'Tara');
  const course = (
    await (await teacher.client.post('/api/courses', { data: { title: 'Media Lab', code: 'ML-1' } })).json()
  ).data;
  const [alice, bob, outsider] = await Promise.all(
    ['Alice', 'Bob', 'Olga'].map((n) => person(playwright, baseURL, 'student', n)),
  );
  for (const s of [alice, bob]) {
    expect((await s.client.post('/api/courses/join', { data: { joinCode: course.joinCode } })).status()).toBe(201);
  }
  const dispose = () => Promise.all([teacher, alice, bob, outsider].map((p) => p.client.dispose()));
  return { teacher, alice, bob, outsider, course, dispose };
}

async function call(client: APIRequestContext, method: string, url: string, data?: unknown) {
  // Signed-in API writes are JSON (the CSRF rule), so a body-less POST still sends `{}`.
  const res = await client.fetch(url, { method, data: method === 'GET' ? undefined : (data ?? {}) });
  return { status: res.status(), body: await res.json() };
}

test.describe('connections', () => {
  test('request → accept, with the original keys; idempotent repeat; status in the body ignored', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, dispose } = await aClass(playwright, baseURL);
    const sent = await call(alice.client, 'POST', '/api/connections', { requestedId: bob.id, status: 'accepted' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      success: true,
      message: expect.any(String),
      connection: {
        connectionId: [alice.id, bob.id].sort().join('_'),
        requesterId: alice.id,
        requestedId: bob.id,
        status: 'pending',
      },
    });
    const again = await call(alice.client, 'POST', '/api/connections', { requestedId: bob.id });
    expect(again.status).toBe(200);
    expect(again.body.connection.connectionId).toBe(sent.body.connection.connectionId);

    const id = sent.body.connection.connectionId;
    const stolen = await call(alice.client, 'POST', `/api/connections/${id}/accept`);
    expect(stolen.status).toBe(403);
    expect(stolen.body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    const accepted = await call(bob.client, 'POST', `/api/connections/${id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.connection.status).toBe('accepted');
    expect((await call(bob.client, 'POST', `/api/connections/${id}/accept`)).status).toBe(409);

    const list = await call(bob.client, 'GET', `/api/connections?userId=${bob.id}&status=accepted`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ success: true, count: 1, nextCursor: null });
    expect(list.body.connections[0]).toMatchObject({
      connectionId: id,
      status: 'accepted',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      otherUser: { id: alice.id, name: `Alice ${alice.user.lastName}`, avatar: null, role: 'student' },
    });
    expect(JSON.stringify(list.body)).not.toContain(alice.user.email);

    const removed = await call(alice.client, 'DELETE', `/api/connections/${id}`);
    expect(removed.status).toBe(200);
    expect((await call(bob.client, 'GET', '/api/connections')).body.connections).toEqual([]);
    await dispose();
  });

  test('refuses yourself (400), strangers (403), unknown users (404), foreign lists (403), bad cursors (400)', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, outsider, dispose } = await aClass(playwright, baseURL);
    const self = await call(alice.client, 'POST', '/api/connections', { requestedId: alice.id });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('VALIDATION_ERROR');
    expect((await call(alice.client, 'POST', '/api/connections', { requestedId: outsider.id })).status).toBe(403);
    expect(
      (await call(alice.client, 'POST', '/api/connections', { requestedId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).status,
    ).toBe(404);
    expect((await call(alice.client, 'POST', '/api/connections', {})).status).toBe(400);
    const foreign = await call(alice.client, 'GET', `/api/connections?userId=${bob.id}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('FORBIDDEN');
    expect((await call(alice.client, 'GET', '/api/connections?cursor=nope')).body.code).toBe('INVALID_CURSOR');
    expect((await call(alice.client, 'POST', '/api/connections/nope/accept')).status).toBe(404);
    const anonymous = await newClient(playwright, baseURL);
    expect((await anonymous.get('/api/connections')).status()).toBe(401);
    await anonymous.dispose();

    // Declining is the requested side's; cancelling the requester's.
    const { body } = await call(alice.client, 'POST', '/api/connections', { requestedId: bob.id });
    const id = body.connection.connectionId;
    expect((await call(alice.client, 'POST', `/api/connections/${id}/decline`)).status).toBe(403);
    expect((await call(outsider.client, 'POST', `/api/connections/${id}/remove`)).status).toBe(404);
    expect((await call(bob.client, 'POST', `/api/connections/${id}/decline`)).status).toBe(200);
    expect((await call(bob.client, 'GET', `/api/connections/${id}`)).status).toBe(404);
    await dispose();
  });
});

test.describe('profiles', () => {
  test('GET /api/profile hides email from a classmate, shows it to self and the instructor; 404 unknown', async ({
    playwright,
    baseURL,
  }) => {
    const { teacher, alice, bob, dispose } = await aClass(playwright, baseURL);
    const own = await call(alice.client, 'GET', '/api/profile');
    expect(own.body.data).toMatchObject({
      id: alice.id,
      email: alice.user.email,
      firstName: 'Alice',
      role: 'student',
      avatar: null,
      bio: null,
    });
    const classmate = await call(bob.client, 'GET', `/api/profile?userId=${alice.id}`);
    expect(classmate.status).toBe(200);
    expect(classmate.body.data).toMatchObject({ id: alice.id, firstName: 'Alice' });
    expect(classmate.body.data.email).toBeUndefined();
    expect(JSON.stringify(classmate.body)).not.toContain(alice.user.email);
    expect((await call(teacher.client, 'GET', `/api/profile?userId=${alice.id}`)).body.data.email).toBe(
      alice.user.email,
    );
    expect((await call(bob.client, 'GET', '/api/profile?userId=01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    await dispose();
  });

  test("update changes names and bio only; someone else's profile is 403", async ({ playwright, baseURL }) => {
    const { alice, bob, dispose } = await aClass(playwright, baseURL);
    const saved = await call(alice.client, 'POST', '/api/profile/update', {
      firstName: 'Alicia',
      bio: '<b>hi</b>',
      role: 'admin',
      email: 'evil@e2e.test',
      password: 'new-password-99',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.user).toMatchObject({
      firstName: 'Alicia',
      bio: '<b>hi</b>',
      role: 'student',
      email: alice.user.email,
    });
    const alias = await call(alice.client, 'POST', '/api/profile/save', { lastName: 'Aliased' });
    expect(alias.body.user.lastName).toBe('Aliased');
    const foreign = await call(bob.client, 'POST', '/api/profile/update', { userId: alice.id, firstName: 'Hacked' });
    expect(foreign.status).toBe(403);
    expect((await call(alice.client, 'POST', '/api/profile/update', { bio: 'x'.repeat(1001) })).status).toBe(400);
    expect((await call(alice.client, 'GET', '/api/profile')).body.data.firstName).toBe('Alicia');
    await dispose();
  });

  test('avatar: presigned PUT, complete, the avatar route redirects privately; wrong types refused', async ({
    playwright,
    baseURL,
  }) => {
    const { alice, bob, dispose } = await aClass(playwright, baseURL);
    expect(
      (await call(alice.client, 'POST', '/api/profile/avatar/upload', { contentType: 'image/svg+xml', fileSize: 10 }))
        .status,
    ).toBe(415);
    expect(
      (
        await call(alice.client, 'POST', '/api/profile/avatar/upload', {
          contentType: 'image/png',
          fileSize: 3_000_000,
        })
      ).status,
    ).toBe(413);
    const started = await call(alice.client, 'POST', '/api/profile/avatar/upload', {
      contentType: 'image/png',
      fileSize: PNG.length,
    });
    expect(started.status).toBe(200);
    const { fileKey, presignedUrl, headers } = started.body.data;
    expect(fileKey).toMatch(new RegExp(`^avatars/${alice.id}/[0-9A-Z]{26}\\.png$`));
    const put = await alice.client.fetch(presignedUrl, { method: 'PUT', headers, data: PNG });
    expect(put.status()).toBe(200);
    expect((await call(bob.client, 'POST', '/api/profile/avatar/complete', { key: fileKey })).status).toBe(403);
    const done = await call(alice.client, 'POST', '/api/profile/avatar/complete', { key: fileKey });
    expect(done.status).toBe(200);
    expect(done.body.user.avatar).toMatch(new RegExp(`^/users/${alice.id}/avatar\\?v=`));

    const redirect = await bob.client.get(done.body.user.avatar, { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    expect(redirect.headers()['cache-control']).toMatch(/private/);
    const image = await bob.client.get(redirect.headers()['location']);
    expect(image.status()).toBe(200);
    expect(Buffer.from(await image.body())).toEqual(PNG);
    expect((await bob.client.get(`/users/${bob.id}/avatar`, { maxRedirects: 0 })).status()).toBe(404);

    expect((await alice.client.get('/api/profile/avatar')).status()).toBe(405);
    const removed = await call(alice.client, 'DELETE', '/api/profile/avatar');
    expect(removed.status).toBe(200);
    expect(removed.body.user.avatar).toBeNull();
    expect((await bob.client.get(done.body.user.avatar, { maxRedirects: 0 })).status()).toBe(404);
    await dispose();
  });
});

test.describe('user directory', () => {
  test('a student sees the people of their courses, without emails; strangers are not listed', async ({
    playwright,
    baseURL,
  }) => {
    const { teacher, alice, bob, outsider, dispose } = await aClass(playwright, baseURL);
    const list = await call(alice.client, 'GET', '/api/users?limit=10');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ success: true, count: 2, nextCursor: null });
    expect(list.body.data.map((u: { id: string }) => u.id).sort()).toEqual([bob.id, teacher.id].sort());
    expect(list.body.data.every((u: { email?: string }) => u.email === undefined)).toBe(true);
    const teacherView = await call(teacher.client, 'GET', '/api/users?role=student&q=alice');
    expect(teacherView.body.data).toEqual([expect.objectContaining({ id: alice.id, email: alice.user.email })]);
    expect((await call(outsider.client, 'GET', '/api/users')).body.data).toEqual([]);
    expect((await call(alice.client, 'GET', '/api/users?role=owner')).status).toBe(400);
    expect((await call(alice.client, 'GET', '/api/users?cursor=nope')).status).toBe(400);
    await dispose();
  });

  test('/admin/users is for admins only', async ({ playwright, baseURL }) => {
    const { alice, dispose } = await aClass(playwright, baseURL);
    expect((await alice.client.get('/admin/users')).status()).toBe(403);
    await dispose();
  });
});
