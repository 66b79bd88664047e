/**
 * /api/lti/platforms: admins only (Bearer or cookie), the error envelope and the one list shape.
 */
import { expect, test } from './fixtures';
import { aPoolToken, aSchoolUser } from './school-accounts';
import { newClient } from './course-builders';

test('an admin manages registrations through the API; others are refused', async ({ playwright, baseURL }) => {
  const admin = await aSchoolUser(['admin']);
  // A pool user's access token works once they have signed in on the web.
  const web = await newClient(playwright, baseURL);
  const res = await web.get(`/auth/cognito?login_hint=${encodeURIComponent(admin.username)}`);
  expect(new URL(res.url()).pathname).toBe('/dashboard');
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
