/**
 * `npm run bench`: the production server on the embedded default with demo data, and the
 * local S3 stand-in in a SEPARATE process (so the app's RSS never includes bytes the stand-in
 * handles), loaded from this process over loopback. Two parts:
 *
 * 1. Throughput (autocannon): each target is measured against a bare baseline route
 *    (/healthz, a constant) in the same run, so the ratio means something on any machine.
 * 2. Upload memory (issue 4, item 10): a demo student pushes a 1 GiB multipart upload through
 *    the app's API (start -> PUT parts straight to the stand-in -> complete -> finalize) while
 *    the app server's RSS is sampled every 200 ms. It must stay flat: the app only signs URLs.
 *
 * Order: setup (an assignment, two small warm-up uploads so every upload code path has run
 * once and the video list is not empty) -> the sampled 1 GiB upload on a freshly started
 * server -> the throughput targets (pages and lists then include the three videos).
 * Figures are printed and appended to bench/RESULTS.md.
 *
 * Bounded: fixed duration per target, a time limit on the upload, timeouts on start-up and
 * shutdown; both child processes are stopped and the temp directory removed at the end.
 *
 *   npm run bench [-- --duration 10 --connections 20 --port 0 --upload-mib 1024 --no-results]
 */
import autocannon from 'autocannon';
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MiB, RssSampler, formatRss, makePayload, putParts, type RssFigures } from './upload-memory';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    /** The app's port; 0 = a free one. */
    port: { type: 'string', default: '0' },
    'upload-mib': { type: 'string', default: '1024' },
    /** Print only; do not append to bench/RESULTS.md. */
    'no-results': { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const uploadBytes = Number(values['upload-mib']) * MiB;
const UPLOAD_CONCURRENCY = 4;
const UPLOAD_TIMEOUT_MS = 10 * 60_000;
/**
 * The app's RSS may grow by less than this during the upload and still count as flat. 64 MiB
 * is the payload in flight (4 parts × 16 MiB): an app that proxied or buffered the parts would
 * exceed it (buffering the whole file: ~1 GiB), while what the app really does during an upload
 * (three JSON calls, 64 presigned URLs, a 64-byte ranged read at finalize) costs a few MB of
 * heap, and V8's heap growth and GC timing alone move RSS by 10–30 MB.
 */
const FLAT_THRESHOLD_MB = 64;
/** Messages in the seeded conversation: more than one page of the thread (20). */
const BENCH_MESSAGES = 30;

const root = mkdtempSync(path.join(os.tmpdir(), 'classcast-bench-'));
const dataDir = path.join(root, 'data');
const s3Dir = path.join(root, 's3');

// ---------------------------------------------------------------------------------------------
// Child processes: `node --import tsx <script>`, so the pid we get IS the process running the
// script (no npx / tsx-cli wrappers in between) and its RSS is exactly the server's.

interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  exited: Promise<unknown>;
}
const children: Child[] = [];

function startScript(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: stopped as a whole, never by name
  });
  if (!proc.pid) throw new Error(`could not start ${name}`);
  const child: Child = { name, proc, pid: proc.pid, exited: once(proc, 'exit') };
  children.push(child);
  return child;
}

/** The first stdout line matching `re` (drains the rest), or an error if the child exits first. */
async function waitForLine(child: Child, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const lines = createInterface({ input: child.proc.stdout! });
  const found = new Promise<RegExpExecArray>((resolve) => {
    lines.on('line', (line) => {
      const m = re.exec(line);
      if (m) resolve(m);
    });
  });
  const failed = child.exited.then(() => {
    throw new Error(`${child.name} exited during start-up`);
  });
  return withTimeout(Promise.race([found, failed]), timeoutMs, `${child.name} did not print ${re}`);
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function signalGroup(child: Child, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM the child's group, wait up to 10 s, then SIGKILL it. */
async function stopChild(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  signalGroup(child, 'SIGTERM');
  try {
    await withTimeout(child.exited, 10_000, `${child.name} did not stop`);
  } catch {
    signalGroup(child, 'SIGKILL');
    await withTimeout(child.exited, 5_000, `${child.name} did not die`).catch(() => {});
  }
}

let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    // App first (it talks to the stand-in), then the stand-in.
    for (const child of [...children].reverse()) await stopChild(child);
    rmSync(root, { recursive: true, force: true });
  })();
  return cleaning;
}
process.on('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL'); // only if cleanUp never ran
  rmSync(root, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the bench`);
    void cleanUp().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

let origin = '';

async function waitForHealthy(child: Child, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited during start-up`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${child.name} did not answer ${origin}/healthz within ${timeoutMs} ms`);
}

async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('login set no cookie');
  return cookie;
}

/** A JSON API call as `cookie`; throws with the response body unless the status is 2xx. */
async function api<T>(method: 'GET' | 'POST', urlPath: string, cookie: string, body?: unknown): Promise<T> {
  const res = await fetch(origin + urlPath, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------
// Upload through the app's API, as the browser does

interface StartedMultipart {
  data: {
    mode: 'multipart' | 'single';
    fileKey: string;
    multipartUploadId: string;
    partSize: number;
    parts: Array<{ partNumber: number; url: string }>;
  };
}

const payloads = new Map<number, Buffer>();

/** start -> PUT every part to the stand-in (4 in flight, one reused buffer) -> complete -> finalize. */
async function uploadVideo(cookie: string, assignmentId: string, bytes: number, title: string, signal: AbortSignal) {
  const { data: up } = await api<StartedMultipart>('POST', '/api/videos/upload', cookie, {
    assignmentId,
    fileName: `${title.toLowerCase().replace(/\W+/g, '-')}.mp4`,
    contentType: 'video/mp4',
    fileSize: bytes,
  });
  if (up.mode !== 'multipart') throw new Error(`expected a multipart upload for ${bytes} bytes, got ${up.mode}`);
  const urls = new Map(up.parts.map((p) => [p.partNumber, p.url]));
  const payload = payloads.get(up.partSize) ?? makePayload(up.partSize);
  payloads.set(up.partSize, payload);
  let completed = false;
  try {
    const parts = await putParts({
      totalBytes: bytes,
      partBytes: up.partSize,
      concurrency: UPLOAD_CONCURRENCY,
      payload,
      signal,
      urlFor: (n) => urls.get(n) ?? Promise.reject(new Error(`the server gave no URL for part ${n}`)),
    });
    await api('POST', '/api/videos/upload/complete', cookie, {
      fileKey: up.fileKey,
      multipartUploadId: up.multipartUploadId,
      parts,
    });
    completed = true;
  } finally {
    if (!completed) {
      await api('POST', '/api/videos/upload/abort', cookie, {
        fileKey: up.fileKey,
        multipartUploadId: up.multipartUploadId,
      }).catch(() => {});
    }
  }
  const { submission } = await api<{ submission: { id: string } }>('POST', '/api/video-submissions', cookie, {
    assignmentId,
    fileKey: up.fileKey,
    videoTitle: title,
  });
  return { partSize: up.partSize, parts: up.parts.length, submissionId: submission.id };
}

// ---------------------------------------------------------------------------------------------
// Throughput

interface Figures {
  name: string;
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  rssMb: number;
}

/** RSS of one process in MB (the server itself: see startScript). */
function rssOf(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function measure(name: string, urlPath: string, headers: Record<string, string>, pid: number): Promise<Figures> {
  // A short warm-up so JIT and connection pools are in steady state.
  await autocannon({ url: origin + urlPath, connections, duration: 2, headers });
  const result = await autocannon({ url: origin + urlPath, connections, duration, headers });
  return {
    name,
    path: urlPath,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
    rssMb: rssOf(pid),
  };
}

// ---------------------------------------------------------------------------------------------
// Results file

const RESULTS = path.resolve('bench/RESULTS.md');
const RESULTS_HEADER = `# ClassCast bench results

Reproduce with \`npm run bench\` (see bench/run.ts; \`-- --duration 5\` for a quick run). Each run
appends a section below; compare ratios, not absolute figures, across machines.
`;

function appendResults(markdown: string) {
  if (!existsSync(RESULTS)) writeFileSync(RESULTS, RESULTS_HEADER);
  appendFileSync(RESULTS, `\n${markdown}\n`);
}

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------------------------------------

try {
  const port = Number(values.port) || (await freePort());
  origin = `http://127.0.0.1:${port}`;
  const load0 = os.loadavg()[0];

  // 1. The S3 stand-in, alone in its process, on a free port.
  const s3 = startScript(
    'S3 stand-in',
    'scripts/s3-local.ts',
    ['--port', '0', '--dir', s3Dir, '--origin', origin],
    process.env,
  );
  const [, s3Endpoint] = await waitForLine(s3, /listening on (http:\/\/\S+)/, 60_000);

  // 2. The app (production build, embedded Postgres, demo data) pointed at it.
  const app = startScript('app server', 'scripts/start.ts', [], {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'true',
    LOGIN_RATE_LIMIT: '1000',
    S3_ENDPOINT: s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_BUCKET: 'classcast-videos',
    S3_LOCAL: 'false',
  });
  app.proc.stdout!.resume(); // the banner (demo passwords): not echoed
  await waitForHealthy(app, 180_000);
  const cmdline = readFileSync(`/proc/${app.pid}/cmdline`, 'utf8').split('\0').join(' ');
  if (!cmdline.includes('scripts/start.ts')) throw new Error(`pid ${app.pid} is not the server: ${cmdline}`);

  // Setup: demo logins, the demo course, a fresh assignment.
  const logins = JSON.parse(readFileSync(path.join(dataDir, 'demo-logins.postgres.json'), 'utf8')) as Array<{
    role: string;
    email: string;
    password: string;
  }>;
  const instructorLogin = logins.find((l) => l.role === 'instructor')!;
  const studentLogins = logins.filter((l) => l.role === 'student');
  if (studentLogins.length < 3) throw new Error('the demo seed has fewer than three students');
  const instructor = await login(instructorLogin.email, instructorLogin.password);
  const students = await Promise.all(studentLogins.map((l) => login(l.email, l.password)));
  const { data: courseList } = await api<{ data: { courses: Array<{ id: string; joinCode?: string }> } }>(
    'GET',
    '/api/courses',
    instructor,
  );
  const course = courseList.courses.find((c) => c.joinCode === 'DEMO101') ?? courseList.courses[0];
  if (!course) throw new Error('the demo instructor has no course');
  const { data: assignment } = await api<{ data: { id: string } }>('POST', '/api/assignments', instructor, {
    courseId: course.id,
    title: 'Bench: explain osmosis on video',
    dueDate: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    maxScore: 100,
  });

  // Warm-up: two small multipart uploads (20 MiB = 2 parts) by students 2 and 3, so every
  // upload code path in the app has run once and the video list has entries.
  const deadline = AbortSignal.timeout(UPLOAD_TIMEOUT_MS);
  for (const [i, cookie] of students.slice(1).entries()) {
    await uploadVideo(cookie, assignment.id, 20 * MiB, `Warm-up answer ${i + 2}`, deadline);
  }

  // 3. The upload check: student 1, 1 GiB, the app's RSS sampled every 200 ms (and, for the
  // record, the stand-in's, which does receive the bytes, and this process's).
  console.error(`uploading ${uploadBytes / MiB} MiB through the app's API…`);
  const samplers = {
    app: new RssSampler(app.pid, 200),
    s3: new RssSampler(s3.pid, 200),
    self: new RssSampler(process.pid, 200),
  };
  await Promise.all(Object.values(samplers).map((s) => s.start()));
  const t0 = performance.now();
  const upload = await uploadVideo(students[0], assignment.id, uploadBytes, 'Osmosis, explained', deadline);
  const seconds = (performance.now() - t0) / 1000;
  const rss: Record<keyof typeof samplers, RssFigures> = {
    app: await samplers.app.stop(),
    s3: await samplers.s3.stop(),
    self: await samplers.self.stop(),
  };
  const mbPerSec = uploadBytes / MiB / seconds;
  const flat = rss.app.deltaMb < FLAT_THRESHOLD_MB;

  // 4. Throughput. The video list, as a demo student, holds the three videos uploaded above.
  const videosPath = `/api/videos?courseId=${course.id}`;
  const { count: videoCount } = await api<{ count: number }>('GET', videosPath, students[0]);
  // A seeded conversation for the messages targets: student 2 and student 1 (classmates in the
  // demo course) exchange BENCH_MESSAGES messages, so the list and the thread have a full page.
  const me = async (cookie: string) => (await api<{ user: { id: string } }>('GET', '/api/auth/me', cookie)).user.id;
  const [readerId, writerId] = [await me(students[0]), await me(students[1])];
  for (let i = 0; i < BENCH_MESSAGES; i += 1) {
    // Every third message is a reply, so both sides' summaries and unread counts move.
    const reply = i % 3 === 2;
    await api('POST', '/api/messaging/messages', reply ? students[0] : students[1], {
      toUserId: reply ? writerId : readerId,
      content: `Bench message ${i + 1}: shall we go over the osmosis answer before Friday?`,
    });
  }
  const baseline = await measure('baseline', '/healthz', {}, app.pid);
  const rows = [
    baseline,
    await measure('instructor dashboard', '/dashboard', { cookie: instructor }, app.pid),
    await measure('course dashboard (grading)', `/courses/${course.id}/grading`, { cookie: instructor }, app.pid),
    await measure('GET /api/courses (instructor)', '/api/courses', { cookie: instructor }, app.pid),
    await measure(`GET /api/videos (student, ${videoCount} videos)`, videosPath, { cookie: students[0] }, app.pid),
    await measure('messages page (student)', '/messages', { cookie: students[0] }, app.pid),
    await measure(
      `thread page (student, ${BENCH_MESSAGES} messages)`,
      `/messages/${writerId}`,
      { cookie: students[0] },
      app.pid,
    ),
    await measure(
      'GET /api/messaging/conversations (student)',
      `/api/messaging/conversations?userId=${readerId}`,
      { cookie: students[0] },
      app.pid,
    ),
  ];

  // Report.
  const when = new Date().toISOString();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const commit = `${git('rev-parse --short HEAD')}${git('status --porcelain') ? ' + uncommitted changes' : ''}`;
  const shortPath = (p: string) =>
    p.replace(course.id, ':courseId').replace(writerId, ':userId').replace(readerId, ':userId');
  const lines = [
    `## ${when}`,
    '',
    `- machine: ${machine}; load average at start ${load0.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)}`,
    `- commit: ${commit}`,
    `- ${connections} connections, ${duration} s per target (after a 2 s warm-up), embedded Postgres, S3 stand-in in its own process`,
    '',
    '| target | req/s | p50 ms | p99 ms | non-2xx | app RSS MB | req/s vs baseline |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} (\`${shortPath(r.path)}\`) | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.rssMb} | ` +
        `${(r.reqPerSec / baseline.reqPerSec).toFixed(3)} |`,
    ),
    '',
    `Upload through the app's API (start → ${upload.parts} parts of ${upload.partSize / MiB} MiB PUT to the stand-in, ` +
      `${UPLOAD_CONCURRENCY} in flight → complete → finalize):`,
    '',
    '```',
    `bytes ${uploadBytes} (${uploadBytes / MiB} MiB), ${seconds.toFixed(2)} s, ${mbPerSec.toFixed(1)} MiB/s`,
    formatRss('app server ', rss.app),
    formatRss('S3 stand-in', rss.s3),
    formatRss('uploader   ', rss.self),
    `verdict: app RSS ${flat ? 'FLAT' : 'NOT FLAT'} (delta ${rss.app.deltaMb} MB ${flat ? '<' : '>='} ${FLAT_THRESHOLD_MB} MB threshold)`,
    '```',
  ];
  console.log(`\n${lines.join('\n')}\n`);

  const invalid = rows.filter((r) => r.non2xx > 0);
  if (invalid.length) {
    console.error(`Some responses were not 2xx (${invalid.map((r) => r.name).join(', ')}): the figures are not valid.`);
    process.exitCode = 1;
  }
  if (!flat) process.exitCode = 1;
  if (!values['no-results']) {
    appendResults(lines.join('\n') + (invalid.length ? '\n\n**Not valid: some responses were not 2xx.**' : ''));
    console.error(`appended to ${path.relative(process.cwd(), RESULTS)}`);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
