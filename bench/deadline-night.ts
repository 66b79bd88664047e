/**
 * `npm run bench:deadline`: a deadline night on one machine (issue 17, part 6). STUDENTS students
 * finalize a video submission within WINDOW seconds (each: start the upload, PUT the bytes
 * straight to the S3 stand-in, finalize), while STREAMS /events streams stay connected and
 * instructors browse the grading page. Printed and appended to bench/RESULTS.md: finalize p50 /
 * p99 / max, answers by status class (the target is zero 5xx), submissions stored against
 * finalizes answered 201 (the target is none lost), streams that dropped, and the browsing
 * figures.
 *
 *   [DATABASE_URL=postgresql://…] npm run bench:deadline [-- --students 300 --streams 1000 --window 60 --no-results]
 *
 * The production build on the embedded default (or DATABASE_URL's server), started through the
 * one harness; the SSE clients run in their own process (bench/sse-clients.ts). Bounded: a hard
 * stop after 10 minutes; every child is stopped by its pid; the temp folder is removed.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  appendResults,
  commitDescription,
  createHarness,
  freePort,
  loadAverage,
  machineDescription,
  rssMb,
  sleep,
} from './harness';
import type { ClientsRequest } from './sse-clients';

const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '300' },
    streams: { type: 'string', default: '1000' },
    window: { type: 'string', default: '60' },
    'no-results': { type: 'boolean', default: false },
  },
});
const STUDENTS = Number(values.students);
const STREAMS = Number(values.streams);
const WINDOW_S = Number(values.window);
/** Each stream-holding student keeps this many tabs open (the hub's limit is 20 per user). */
const STREAMS_PER_STUDENT = 10;
const SETUP_CONCURRENCY = 6;

const hardStop = setTimeout(() => {
  console.error('bench:deadline: hard stop after 10 minutes');
  process.exit(2);
}, 600_000);
hardStop.unref();

if (!existsSync('build/index.js')) throw new Error('no production build: run `npx remix build` first');

const harness = createHarness('classcast-bench-deadline-');
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const loadBefore = loadAverage();
const backend = process.env.DATABASE_URL ? 'PostgreSQL server (DATABASE_URL)' : 'embedded PGlite';

type Account = { id: string; token: string; email: string };
const PASSWORD = 'correct-horse-42';

async function json(method: string, url: string, token: string | null, body?: unknown) {
  const res = await fetch(`${origin}${url}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function signUp(role: 'student' | 'instructor', n: number): Promise<Account> {
  const email = `deadline-${role}-${n}-${randomBytes(3).toString('hex')}@bench.test`;
  const res = await json('POST', '/api/auth/signup', null, {
    email,
    password: PASSWORD,
    firstName: role === 'student' ? `Student${n}` : `Teacher${n}`,
    lastName: 'Bench',
    role,
  });
  if (res.status !== 201) throw new Error(`signup ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, token: res.body.tokens.accessToken, email };
}

async function cookieFor(email: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('__classcast_session=')) throw new Error(`login ${res.status}`);
  return cookie;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  }
  return out;
}

/** Bytes that start like an MP4 (an `ftyp` box): finalize sniffs the container. */
const VIDEO = (() => {
  const bytes = Buffer.alloc(64 * 1024, 0x61);
  bytes.writeUInt32BE(24, 0);
  bytes.write('ftypisom', 4, 'latin1');
  bytes.writeUInt32BE(0x200, 12);
  bytes.write('isomiso2', 16, 'latin1');
  return bytes;
})();

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

try {
  const app = harness.start('app', 'scripts/start.ts', [], {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: harness.dir('data'),
    SEED_DEMO: 'false',
    WEB_CONCURRENCY: '1',
    LOG_LEVEL: 'warn',
    // Hundreds of sign-ins from one address in a minute are the bench, not an attack.
    LOGIN_RATE_LIMIT: '100000',
  });
  await harness.waitForHealthy(app, origin);
  console.error(`deadline night on ${backend}: setting up ${STUDENTS} students…`);

  const teacher = await signUp('instructor', 0);
  const course = await json('POST', '/api/courses', teacher.token, { title: 'Deadline night', code: 'DN-1' });
  const assignment = await json('POST', '/api/assignments', teacher.token, {
    courseId: course.body.data.id,
    title: 'Final pitch',
    dueDate: new Date(Date.now() + 86400_000).toISOString(),
    maxScore: 10,
  });
  const assignmentId: string = assignment.body.data.id;
  const students = await inBatches([...Array(STUDENTS).keys()], SETUP_CONCURRENCY, async (n) => {
    const s = await signUp('student', n + 1);
    const joined = await json('POST', '/api/courses/join', s.token, { joinCode: course.body.data.joinCode });
    if (joined.status !== 201) throw new Error(`join ${joined.status}`);
    return s;
  });
  const holders = students.slice(0, Math.ceil(STREAMS / STREAMS_PER_STUDENT));
  const cookies = await inBatches(holders, SETUP_CONCURRENCY, (s) => cookieFor(s.email));
  const teacherCookie = await cookieFor(teacher.email);

  const clients = harness.start('SSE clients', 'bench/sse-clients.ts', [], process.env, {
    stdout: 'inherit',
    ipc: true,
  });
  const reply = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        clients.proc.off('message', onMessage);
        resolve(m as T);
      };
      clients.proc.on('message', onMessage);
    });
  const send = (m: ClientsRequest) => clients.proc.send(m);
  const perHolder = Math.min(STREAMS_PER_STUDENT, Math.ceil(STREAMS / Math.max(1, holders.length)));
  send({ type: 'open', baseUrl: origin, cookies, streamsPerUser: perHolder });
  const opened = await reply<{ ready: number; failed: number }>('opened');
  console.error(`${opened.ready} streams open (${opened.failed} failed); the deadline minute starts`);
  const rssBefore = rssMb(app.pid);

  // The minute: every student finalizes once, at a random moment of the window.
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const finalizeMs: number[] = [];
  let created = 0;
  const browsing = autocannon({
    url: `${origin}/courses/${course.body.data.id}/grading`,
    connections: 4,
    duration: WINDOW_S,
    headers: { Cookie: teacherCookie },
  });
  const started = Date.now();
  await Promise.all(
    students.map(async (s) => {
      await sleep(Math.random() * WINDOW_S * 1000 * 0.9);
      const upload = await json('POST', '/api/videos/upload', s.token, {
        assignmentId,
        fileName: 'pitch.mp4',
        contentType: 'video/mp4',
        fileSize: VIDEO.length,
      }).catch(() => ({ status: 0, body: null }));
      count(`upload ${Math.floor(upload.status / 100)}xx`);
      if (upload.status !== 200) return;
      const put = await fetch(upload.body.data.presignedUrl, {
        method: 'PUT',
        headers: upload.body.data.headers,
        body: new Uint8Array(VIDEO),
      }).catch(() => null);
      count(`S3 PUT ${put ? Math.floor(put.status / 100) : 0}xx`);
      const t0 = performance.now();
      const finalized = await json('POST', '/api/video-submissions', s.token, {
        assignmentId,
        fileKey: upload.body.data.fileKey,
      }).catch(() => ({ status: 0, body: null }));
      finalizeMs.push(performance.now() - t0);
      count(`finalize ${Math.floor(finalized.status / 100)}xx`);
      if (finalized.status === 201) created += 1;
    }),
  );
  const browse = await browsing;
  const windowS = (Date.now() - started) / 1000;
  const rssAfter = rssMb(app.pid);

  send({ type: 'report' });
  const report = await reply<{ endedEarly: number }>('report');
  send({ type: 'close-all' });

  let stored = 0;
  let cursor: string | null = null;
  do {
    const page = await json(
      'GET',
      `/api/video-submissions?assignmentId=${assignmentId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      teacher.token,
    );
    stored += page.body.submissions.length;
    cursor = page.body.nextCursor;
  } while (cursor);

  const sorted = [...finalizeMs].sort((a, b) => a - b);
  const serverErrors = [...statuses].filter(([k]) => /\b5xx|\b0xx/.test(k)).reduce((n, [, v]) => n + v, 0);
  const browse5xx = browse.non2xx + browse.errors + browse.timeouts;
  const lines = [
    `## Deadline night (issue 17) — ${new Date().toISOString()}`,
    '',
    `- Machine: ${machineDescription()}; load average before: ${loadBefore}; commit ${commitDescription()}`,
    `- Backend: ${backend}; ${STUDENTS} students finalizing within ${WINDOW_S} s (took ${windowS.toFixed(1)} s); ${opened.ready} /events streams open; instructors browsing the grading page with 4 connections`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| finalize p50 / p99 / max | ${percentile(sorted, 50).toFixed(0)} / ${percentile(sorted, 99).toFixed(0)} / ${(sorted.at(-1) ?? NaN).toFixed(0)} ms |`,
    `| answers | ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')} |`,
    `| 5xx or failed requests (target 0) | ${serverErrors} (students), ${browse5xx} (browsing) |`,
    `| submissions stored / finalizes answered 201 / students (none lost) | ${stored} / ${created} / ${STUDENTS} |`,
    `| streams dropped while held | ${report.endedEarly} of ${opened.ready} |`,
    `| grading page while it ran | ${Math.round(browse.requests.average)} req/s, p50 ${browse.latency.p50} ms, p99 ${browse.latency.p99} ms |`,
    `| server RSS before / after the minute | ${rssBefore} / ${rssAfter} MB |`,
  ];
  const markdown = lines.join('\n');
  console.log(markdown);
  if (!values['no-results']) appendResults(markdown);
  const failed = serverErrors > 0 || browse5xx > 0 || stored !== created || created !== STUDENTS;
  if (failed) console.error('bench:deadline: a target was missed (see the table)');
  process.exitCode = failed ? 1 : 0;
} finally {
  await harness.cleanUp();
}
