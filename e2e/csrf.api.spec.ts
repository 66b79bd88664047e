/**
 * Cross-site request forgery, revocable sessions and the login redirect, tried as an
 * attacker would: the victim's real cookie, a foreign Origin (another port of the same
 * host, which SameSite=Lax does not stop), and afterwards a look through the API that
 * nothing changed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { createAccount, expect, loginThroughForm, newUserData, test } from './fixtures';
import { courseWithAssignment, enrolledStudent, newClient, uploadAndFinalize } from './course-builders';
import { fakeMp4 } from './video-fixture';

const FOREIGN = 'http://127.0.0.1:1';
const form = (data: Record<string, string>) => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: FOREIGN },
  data: new URLSearchParams(data).toString(),
});

/** Page action URL in its three shapes: the document post, `?_data=` and single-fetch `.data`. */
function variants(pathname: string, routeId: string): string[] {
  return [pathname, `${pathname}?_data=${encodeURIComponent(routeId)}`, `${pathname}.data`];
}

async function expectRefused(client: APIRequestContext, url: string, init: Parameters<APIRequestContext['fetch']>[1]) {
  const res = await client.fetch(url, { method: 'POST', maxRedirects: 0, ...init });
  expect(res.status(), `${url} → ${res.status()}`).toBe(403);
  const text = await res.text();
  expect(text).toMatch(/another site|JSON|verified/);
}

test('page actions with a foreign Origin and the victim’s cookie are refused and change nothing', async ({
  playwright,
  baseURL,
}) => {
  const teacher = await newClient(playwright, baseURL);
  await createAccount(teacher, 'instructor');
  const { course, assignment } = await courseWithAssignment(teacher);
  const student = await newClient(playwright, baseURL);
  await enrolledStudent(student, course.joinCode);
  const submission = (await (await uploadAndFinalize(student, assignment.id, fakeMp4(4096))).json()).submission;
  const outsider = await newClient(playwright, baseURL);
  await createAccount(outsider, 'student');

  const attempts: Array<[APIRequestContext, string, string, Record<string, string>]> = [
    [teacher, '/dashboard', 'routes/dashboard', { intent: 'create-course', title: 'Forged', code: 'F-1' }],
    [outsider, '/dashboard', 'routes/dashboard', { intent: 'join-course', joinCode: course.joinCode }],
    [teacher, `/courses/${course.id}/edit`, 'routes/courses.$courseId_.edit', { title: 'Forged', code: 'F-2' }],
    [
      teacher,
      `/courses/${course.id}/assignments/new`,
      'routes/courses.$courseId_.assignments.new',
      { title: 'Forged', dueDate: '2099-01-01T10:00', maxScore: '10' },
    ],
    [teacher, `/assignments/${assignment.id}/edit`, 'routes/assignments.$assignmentId_.edit', { title: 'Forged' }],
    [teacher, `/submissions/${submission.id}`, 'routes/submissions.$submissionId', { grade: '1', feedback: 'Forged' }],
  ];
  for (const [client, pathname, routeId, data] of attempts) {
    for (const url of variants(pathname, routeId)) await expectRefused(client, url, form(data));
  }

  const courses = (await (await teacher.get('/api/courses')).json()).data.courses;
  expect(courses.map((c: any) => c.title)).toEqual([course.title]);
  expect((await (await teacher.get(`/api/courses/${course.id}`)).json()).data.course.code).toBe(course.code);
  expect((await outsider.get(`/api/courses/${course.id}`)).status()).not.toBe(200);
  const assignments = (await (await teacher.get(`/api/assignments?courseId=${course.id}`)).json()).data.assignments;
  expect(assignments.map((a: any) => a.title)).toEqual([assignment.title]);
  const graded = (await (await teacher.get(`/api/video-submissions/${submission.id}`)).json()).submission;
  expect(graded.grade).toBeNull();
  expect(graded.instructorFeedback ?? null).toBeNull();
});

test('every state-changing /api call with the cookie and a foreign Origin, a form or text/plain body is refused', async ({
  playwright,
  baseURL,
}) => {
  const teacher = await newClient(playwright, baseURL);
  await createAccount(teacher, 'instructor');
  const { course, assignment } = await courseWithAssignment(teacher);
  const calls: Array<[string, string, Record<string, unknown>]> = [
    ['POST', '/api/courses', { title: 'Forged', code: 'F-1' }],
    ['PATCH', `/api/courses/${course.id}`, { title: 'Forged' }],
    ['POST', '/api/courses/join', { joinCode: course.joinCode }],
    ['POST', '/api/assignments', { courseId: course.id, title: 'Forged', dueDate: '2099-01-01' }],
    ['PATCH', `/api/assignments/${assignment.id}`, { title: 'Forged' }],
    ['POST', '/api/videos/upload', { assignmentId: assignment.id, fileName: 'a.mp4', contentType: 'video/mp4' }],
    ['POST', '/api/auth/logout', {}],
  ];
  for (const [method, url, data] of calls) {
    await expectRefused(teacher, url, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: FOREIGN },
      data: JSON.stringify(data),
    });
    await expectRefused(teacher, url, {
      method,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: new URLSearchParams(data as Record<string, string>).toString(),
    });
    await expectRefused(teacher, url, {
      method,
      headers: { 'Content-Type': 'text/plain' },
      data: JSON.stringify(data),
    });
  }
  const courses = (await (await teacher.get('/api/courses')).json()).data.courses;
  expect(courses.map((c: any) => c.title)).toEqual([course.title]);
  expect((await teacher.get('/api/auth/me')).status()).toBe(200);
});

test('logout from a foreign page is refused; a real logout revokes the session cookie on the server', async ({
  playwright,
  baseURL,
}) => {
  const client = await newClient(playwright, baseURL);
  await createAccount(client, 'student');
  for (const url of ['/logout', '/logout?_data=routes%2Flogout', '/logout.data']) {
    await expectRefused(client, url, form({}));
  }
  expect((await client.get('/api/auth/me')).status()).toBe(200);

  const { cookies } = await client.storageState();
  const session = cookies.find((c) => c.name === '__classcast_session');
  expect(session).toBeTruthy();
  const out = await client.post('/logout', { headers: { Origin: baseURL ?? '' }, maxRedirects: 0 });
  expect(out.status()).toBe(302);
  const replay = await newClient(playwright, baseURL);
  const me = await replay.get('/api/auth/me', { headers: { Cookie: `${session?.name}=${session?.value}` } });
  expect(me.status()).toBe(401);
  const page = await replay.get('/dashboard', {
    headers: { Cookie: `${session?.name}=${session?.value}` },
    maxRedirects: 0,
  });
  expect(page.status()).toBe(302);
  expect(page.headers().location).toMatch(/^\/login/);
});

test('redirectTo after login stays on ClassCast and never fails', async ({ playwright, baseURL }) => {
  const user = newUserData('student');
  const setup = await newClient(playwright, baseURL);
  await setup.post('/api/auth/signup', { data: user });
  for (const redirectTo of [
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/..',
    '//evil.example',
    'https://evil.example',
    '/\\evil',
  ]) {
    const client = await newClient(playwright, baseURL);
    const res = await client.post('/login', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseURL ?? '' },
      data: new URLSearchParams({ email: user.email, password: user.password, redirectTo }).toString(),
      maxRedirects: 0,
    });
    expect(res.status(), redirectTo).toBe(302);
    const location = res.headers().location ?? '';
    expect(new URL(location, baseURL).origin, `${redirectTo} → ${location}`).toBe(new URL(baseURL ?? '').origin);
    expect(location).not.toMatch(/^\/\/|[\t\n\\]/);
  }
});

test('a page on another port auto-submits forms and fetches with the real cookies: all refused', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const teacher = await newClient(playwright, baseURL);
  const user = await createAccount(teacher, 'instructor');
  await loginThroughForm(page, user);

  const target = baseURL ?? '';
  const attack = `<!doctype html><html lang="en"><head><title>Win a prize</title></head><body>
    <iframe name="sink" title="sink"></iframe>
    <form id="f" method="post" action="${target}/dashboard" target="sink">
      <input name="intent" value="create-course"><input name="title" value="Forged by form"><input name="code" value="F-1">
    </form>
    <form id="g" method="post" action="${target}/api/courses" target="sink" enctype="text/plain">
      <input name='{"title":"Forged by text","code":"F-2","x":"' value='"}'>
    </form>
    <script>
      document.getElementById('f').submit();
      setTimeout(() => document.getElementById('g').submit(), 300);
      fetch('${target}/dashboard?_data=routes%2Fdashboard', { method: 'POST', credentials: 'include', mode: 'no-cors',
        body: new URLSearchParams({ intent: 'create-course', title: 'Forged by fetch', code: 'F-3' }) });
      fetch('${target}/api/courses', { method: 'POST', credentials: 'include', mode: 'no-cors',
        headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ title: 'Forged by fetch', code: 'F-4' }) });
      fetch('${target}/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' })
        .finally(() => setTimeout(() => { document.title = 'done'; }, 800));
    </script></body></html>`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attack);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const evil = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await page.goto(evil);
    await expect(page).toHaveTitle('done', { timeout: 15_000 });
  } finally {
    server.close();
  }
  // Still signed in (the forged logout failed), and no course was made.
  await page.goto('/dashboard');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const cookies = await context.cookies();
  const api = await newClient(playwright, baseURL);
  const session = cookies.find((c) => c.name === '__classcast_session');
  const list = await api.get('/api/courses', { headers: { Cookie: `${session?.name}=${session?.value}` } });
  expect(list.status()).toBe(200);
  expect((await list.json()).data.courses).toEqual([]);
  await context.close();
});
