/**
 * /api/admin (issue 16): the JSON twins of the admin pages. Admins only (Bearer or cookie);
 * students and instructors get the 403 envelope; an admin never changes their own role.
 */
import { waitForMail } from './mailbox';
import type { APIRequestContext } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { aPoolToken, aSchoolUser } from './school-accounts';
import { courseWithAssignment, enrolledStudent, newClient } from './course-builders';

async function meOf(client: APIRequestContext): Promise<{ id: string; role: string }> {
  return (await (await client.get('/api/auth/me')).json()).user;
}

test('an admin changes roles and access, lists and archives courses; others are refused', async ({
  playwright,
  baseURL,
}) => {
  const admin = await aSchoolUser(['admin']);
  const web = await newClient(playwright, baseURL);
  const signIn = await web.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  expect(new URL(signIn.url()).pathname).toBe('/admin');
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${await aPoolToken(admin)}` },
  });
  const adminMe = await meOf(web);

  const teacher = await newClient(playwright, baseURL);
  await createAccount(teacher, 'instructor');
  const { course } = await courseWithAssignment(teacher);
  const student = await newClient(playwright, baseURL);
  await enrolledStudent(student, course.joinCode);
  const studentMe = await meOf(student);

  // Students and instructors: 403 with the one error envelope, for every admin endpoint.
  for (const outsider of [student, teacher]) {
    for (const res of [
      await outsider.get('/api/admin/courses'),
      await outsider.get(`/api/admin/users/${studentMe.id}`),
      await outsider.patch(`/api/admin/users/${studentMe.id}`, { data: { role: 'admin' } }),
      await outsider.post(`/api/admin/users/${studentMe.id}/password-reset`),
    ]) {
      expect(res.status(), res.url()).toBe(403);
      expect(await res.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });
    }
  }
  expect((await student.post(`/api/admin/courses/${course.id}/archive`, { data: { archived: true } })).status()).toBe(
    403,
  );
  expect((await meOf(student)).role).toBe('student');

  // Role and access.
  const promoted = await api.patch(`/api/admin/users/${studentMe.id}`, { data: { role: 'instructor' } });
  expect(promoted.status(), await promoted.text()).toBe(200);
  expect((await promoted.json()).data).toMatchObject({ id: studentMe.id, role: 'instructor', disabled: false });
  const bad = await api.patch(`/api/admin/users/${studentMe.id}`, { data: { role: 'owner' } });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
  const selfDemote = await api.patch(`/api/admin/users/${adminMe.id}`, { data: { role: 'student' } });
  expect(selfDemote.status()).toBe(403);
  expect((await selfDemote.json()).error).toMatch(/your own role/);
  const selfDisable = await api.patch(`/api/admin/users/${adminMe.id}`, { data: { disabled: true } });
  expect(selfDisable.status()).toBe(403);
  expect((await api.patch(`/api/admin/users/01JZZZZZZZZZZZZZZZZZZZZZZZ`, { data: { disabled: true } })).status()).toBe(
    404,
  );

  // Disabling ends the user's sessions at once.
  expect((await student.get('/api/auth/me')).status()).toBe(200);
  const disabled = await api.patch(`/api/admin/users/${studentMe.id}`, { data: { disabled: true } });
  expect((await disabled.json()).data).toMatchObject({ disabled: true, disabledAt: expect.any(String) });
  expect((await student.get('/api/auth/me')).status()).toBe(401);
  const enabled = await api.patch(`/api/admin/users/${studentMe.id}`, { data: { disabled: false } });
  expect((await enabled.json()).data).toMatchObject({ disabled: false, disabledAt: null });

  // Courses: the one list shape, then archive and back.
  const list = await api.get('/api/admin/courses?limit=100');
  expect(list.status()).toBe(200);
  const listed = await list.json();
  expect(listed.success).toBe(true);
  expect(listed).toHaveProperty('nextCursor');
  // Newest first: the course just made is on the first page.
  expect(listed.data.courses.map((c: { id: string }) => c.id)).toContain(course.id);
  const archived = await api.post(`/api/admin/courses/${course.id}/archive`, { data: { archived: true } });
  expect(archived.status(), await archived.text()).toBe(200);
  expect((await archived.json()).data).toMatchObject({ id: course.id, archived: true });
  const post = await teacher.post('/api/assignments', {
    data: { courseId: course.id, title: 'After', dueDate: new Date(Date.now() + 86_400_000).toISOString() },
  });
  expect(post.status()).toBe(409);
  const badFlag = await api.post(`/api/admin/courses/${course.id}/archive`, { data: { archived: 'maybe' } });
  expect(badFlag.status()).toBe(400);
  const reopened = await api.post(`/api/admin/courses/${course.id}/archive`, { data: { archived: false } });
  expect((await reopened.json()).data).toMatchObject({ archived: false });

  // The course's own instructor may archive it too.
  const own = await teacher.post(`/api/admin/courses/${course.id}/archive`, { data: { archived: true } });
  expect(own.status(), await own.text()).toBe(200);
});

test('an admin asks for a password reset mail for a user: 202', async ({ playwright, baseURL }) => {
  const admin = await aSchoolUser(['admin']);
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${await aPoolToken(admin)}` },
  });
  const web = await newClient(playwright, baseURL);
  await web.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  const someone = await newClient(playwright, baseURL);
  const student = await createAccount(someone, 'student');
  const res = await api.post(`/api/admin/users/${(await meOf(someone)).id}/password-reset`);
  expect(res.status(), await res.text()).toBe(202);
  await waitForMail(api, { to: student.email, subject: 'Reset your ClassCast password' });
});
