/**
 * /api/lti/platforms: admins only (Bearer or cookie), the error envelope and the one list shape.
 */
import { expect, test } from './fixtures';
import { aPoolToken, aSchoolUser } from './school-accounts';
import { courseWithAssignment, enrolledStudent, newClient, newInstructorClient } from './course-builders';

test('an admin manages registrations through the API; others are refused', async ({ playwright, baseURL }) => {
  const admin = await aSchoolUser(['admin']);
  // A pool user's access token works once they have signed in on the web.
  const web = await newClient(playwright, baseURL);
  const res = await web.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  expect(new URL(res.url()).pathname).toBe('/admin');
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${await aPoolToken(admin)}` },
  });

  const host = `https://moodle-${Date.now().toString(36)}.example.edu`;
  const body = {
    name: 'Moodle',
    issuer: host,
    clientId: 'abc123',
    deploymentIds: ['1'],
    authUrl: `${host}/mod/lti/auth.php`,
    tokenUrl: `${host}/mod/lti/token.php`,
    jwksUrl: `${host}/mod/lti/certs.php`,
  };
  const created = await api.post('/api/lti/platforms', { data: body });
  expect(created.status(), await created.text()).toBe(201);
  const { data: platform } = await created.json();
  expect(platform).toMatchObject({ ...body, id: expect.any(String) });

  const again = await api.post('/api/lti/platforms', { data: body });
  expect(again.status()).toBe(409);
  expect(await again.json()).toMatchObject({ success: false, code: 'CONFLICT' });

  const bad = await api.post('/api/lti/platforms', { data: { ...body, jwksUrl: 'http://example.edu/jwks' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).details.fields.jwksUrl[0]).toMatch(/https/);

  const list = await (await api.get('/api/lti/platforms?limit=100')).json();
  expect(list.success).toBe(true);
  expect(list).toHaveProperty('nextCursor');
  expect(list.data.platforms.map((p: { id: string }) => p.id)).toContain(platform.id);

  const patched = await api.patch(`/api/lti/platforms/${platform.id}`, { data: { deploymentIds: ['1', '2'] } });
  expect((await patched.json()).data.deploymentIds).toEqual(['1', '2']);
  expect((await api.delete(`/api/lti/platforms/${platform.id}`)).status()).toBe(200);
  expect((await api.get(`/api/lti/platforms/${platform.id}`)).status()).toBe(404);

  const student = await newClient(playwright, baseURL);
  const signup = await student.post('/api/auth/signup', {
    data: {
      email: `s-${Date.now()}@e2e.test`,
      password: 'correct-horse-42',
      firstName: 'S',
      lastName: 'T',
      role: 'student',
    },
  });
  expect(signup.status()).toBe(201);
  expect((await student.get('/api/lti/platforms')).status()).toBe(403);
  expect((await (await newClient(playwright, baseURL)).get('/api/lti/platforms')).status()).toBe(401);
});

test('roster sync answers in the envelope: 409 for a course not from an LMS, 403 for its students, 405 for GET', async ({
  playwright,
  baseURL,
}) => {
  const teacher = await newInstructorClient(playwright, baseURL);
  const { course } = await courseWithAssignment(teacher);
  const student = await newClient(playwright, baseURL);
  await enrolledStudent(student, course.joinCode);
  const url = `/api/courses/${course.id}/roster-sync`;
  // A cookie-authenticated POST to /api/* sends JSON and our Origin (the CSRF rule).
  const post = (client: typeof teacher) => client.post(url, { data: {}, headers: { Origin: baseURL ?? '' } });
  const refused = await post(teacher);
  expect(refused.status()).toBe(409);
  expect(await refused.json()).toMatchObject({ success: false, code: 'CONFLICT', error: /not opened from an LMS/ });
  expect((await post(student)).status()).toBe(403);
  expect((await teacher.get(url)).status()).toBe(405);
});

test('/lti/jwks is public and cacheable', async ({ request }) => {
  const res = await request.get('/lti/jwks');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toBe('public, max-age=300');
  const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(key).not.toHaveProperty('d');
  }
});
