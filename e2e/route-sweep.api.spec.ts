/**
 * Every route file × every method × hostile input, as nobody, as a forger and as signed-in
 * users: no request may end in a 5xx. The route list is read from app/routes at test time,
 * so a new route is swept without editing this file.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { createAccount, expect, test } from './fixtures';
import { courseWithAssignment, enrolledStudent, newClient } from './course-builders';

const ROUTES_DIR = path.resolve('app/routes');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const FAKE_ULID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

/** Remix flat-route file name → URL path, `$param`s filled by `fill`. */
export function routeUrl(file: string, fill: (param: string) => string): string {
  const name = file.replace(/\.(tsx?|jsx?)$/, '');
  const segments = name
    .split('.')
    .filter((s) => s !== '_index' && !(s.startsWith('_') && s.length > 1))
    .map((s) => s.replace(/_$/, ''))
    .map((s) => (s.startsWith('$') ? fill(s.slice(1)) : s));
  return `/${segments.join('/')}`;
}

const routeFiles = readdirSync(ROUTES_DIR).filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f));

const BIG = 'x'.repeat(100 * 1024);
const HOSTILE_JSON: Array<[string, string]> = [
  ['malformed JSON', '{"title": '],
  ['a JSON array', '[1,2,3]'],
  [
    'wrong types',
    JSON.stringify({
      title: 7,
      description: [1],
      dueDate: true,
      maxScore: 'lots',
      joinCode: {},
      courseId: 5,
      grade: [7],
      parts: 'x',
    }),
  ],
  [
    '100 KB strings',
    JSON.stringify({
      title: BIG,
      name: BIG,
      description: BIG,
      email: BIG,
      password: BIG,
      joinCode: BIG,
      feedback: BIG,
      fileKey: BIG,
      multipartUploadId: BIG,
    }),
  ],
  ['NUL bytes', '{"title":"a\\u0000b","joinCode":"\\u0000","courseId":"\\u0000"}'],
  ['lone surrogates', '{"title":"\\ud800","description":"\\udfff","assignmentId":"\\ud800"}'],
  [
    '../ ids',
    JSON.stringify({ courseId: '../../etc', assignmentId: '../x', fileKey: '../../x', multipartUploadId: '../%zz' }),
  ],
  ['far dates', JSON.stringify({ title: 'T', dueDate: '275760-09-13', courseId: FAKE_ULID })],
];

interface Caller {
  name: string;
  client: APIRequestContext;
  headers: Record<string, string>;
  /** Whether this caller is signed in (responses may then be 2xx). */
  signedIn: boolean;
}

function expectNo5xx(res: APIResponse, what: string) {
  expect(res.status(), `${what} → ${res.status()}`).toBeLessThan(500);
}

for (const file of routeFiles) {
  test(`sweep ${file}`, async ({ playwright, baseURL }) => {
    test.setTimeout(300_000);
    const origin = { Origin: baseURL ?? '' };
    const instructor = await newClient(playwright, baseURL);
    await createAccount(instructor, 'instructor');
    const { course, assignment } = await courseWithAssignment(instructor);
    const student = await newClient(playwright, baseURL);
    await enrolledStudent(student, course.joinCode);
    const bearer = await newClient(playwright, baseURL);
    const bearerSignup = await (await bearer.post('/api/auth/signup', { data: { ...newStudentData() } })).json();
    const anonymous = await newClient(playwright, baseURL);

    const realIds: Record<string, string> = { courseId: course.id, assignmentId: assignment.id };
    const idVariants = [(p: string) => realIds[p] ?? FAKE_ULID, () => '..%2F..%2Fetc', () => 'a%00b'];
    const urls = [...new Set(idVariants.map((fill) => routeUrl(file, fill)))];

    const callers: Caller[] = [
      { name: 'nobody', client: anonymous, headers: {}, signedIn: false },
      {
        name: 'tampered cookie',
        client: anonymous,
        headers: { Cookie: '__classcast_session=eyJ1c2VySWQiOiJ4In0%3D.forged', ...origin },
        signedIn: false,
      },
      { name: 'tampered bearer', client: anonymous, headers: { Authorization: 'Bearer a.b.c' }, signedIn: false },
      { name: 'student', client: student, headers: origin, signedIn: true },
      { name: 'instructor', client: instructor, headers: origin, signedIn: true },
      {
        name: 'student bearer',
        client: anonymous,
        headers: { Authorization: `Bearer ${bearerSignup.tokens.accessToken}` },
        signedIn: true,
      },
    ];
    const isLogout = /logout/.test(file);

    for (const url of urls) {
      // Hostile queries and bodies go to the URL with real ids, where they reach the loaders and
      // actions; the forged-id URLs get every caller × method plainly (what a bad id can break).
      const hostile = url === urls[0];
      for (const caller of callers) {
        // Logging out mid-sweep would sign the caller out of the rest; logout has its own tests.
        if (isLogout && caller.client !== anonymous) continue;
        for (const method of METHODS) {
          const what = `${caller.name} ${method} ${url}`;
          const send = (extra: { headers?: Record<string, string>; data?: string | Buffer }, suffix = '') =>
            caller.client.fetch(`${url}${suffix}`, {
              method,
              headers: { ...caller.headers, ...extra.headers },
              data: extra.data,
              maxRedirects: 0,
            });
          const plain = await send({});
          expectNo5xx(plain, what);
          if (!caller.signedIn && url.startsWith('/api/') && !/auth|healthz/.test(file)) {
            expect([400, 401, 403, 404, 405], `${what} must be refused`).toContain(plain.status());
          }
          // A method the route refuses (405) is refused before any body is read: no body to try.
          if (!hostile || plain.status() === 405) continue;
          if (method === 'GET') {
            for (const query of [
              '?limit=100000000&cursor=!!!!',
              '?limit=-5&cursor=%00garbage',
              '?courseId=..%2F..&q=%ED%A0%80',
            ]) {
              expectNo5xx(await send({}, query), `${what}${query}`);
            }
            continue;
          }
          // Bodies go to the callers that get past sign-in (and to nobody, for the public routes).
          if (!['nobody', 'instructor', 'student bearer'].includes(caller.name)) continue;
          for (const [label, body] of HOSTILE_JSON) {
            const res = await send({ headers: { 'Content-Type': 'application/json' }, data: body });
            expectNo5xx(res, `${what} with ${label}`);
          }
          const noBoundary = await send({ headers: { 'Content-Type': 'multipart/form-data' }, data: 'title=x' });
          expectNo5xx(noBoundary, `${what} multipart without boundary`);
          const nulForm = await send({
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            data: 'intent=create-course&title=a%00b&joinCode=%ED%A0%80&grade=0x5',
          });
          expectNo5xx(nulForm, `${what} form with NUL`);
          const unknownIntent = await send({
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            data: 'intent=no-such-thing',
          });
          expectNo5xx(unknownIntent, `${what} unknown intent`);
        }
      }
    }
    for (const c of [instructor, student, bearer, anonymous]) await c.dispose();
  });
}

function newStudentData() {
  return {
    email: `sweep-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.test`,
    password: 'correct-horse-42',
    firstName: 'Sweep',
    lastName: 'Tester',
    role: 'student',
  };
}

test('the sweep reads every route file', () => {
  expect(routeFiles.length).toBeGreaterThan(30);
  expect(routeUrl('courses.$courseId_.edit.tsx', () => 'ID')).toBe('/courses/ID/edit');
  expect(routeUrl('_index.tsx', () => 'ID')).toBe('/');
  expect(routeUrl('api.videos.upload.parts.ts', () => 'ID')).toBe('/api/videos/upload/parts');
});
