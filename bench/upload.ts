/**
 * `npm run bench:upload` (issue 4, item 10): a demo student pushes a 1 GiB multipart upload
 * through the app's API (start -> PUT parts straight to the S3 stand-in -> complete ->
 * finalize) while the app server's RSS is sampled every 200 ms. It must stay flat: the app
 * only signs URLs. The production server runs on the embedded default with demo data, the
 * S3 stand-in in a SEPARATE process (so the app's RSS never includes bytes the stand-in
 * handles); both are children of bench/harness.ts.
 *
 * Order: setup (an assignment, two small warm-up uploads so every upload code path has run
 * once) -> the sampled 1 GiB upload. Figures are printed and appended to bench/RESULTS.md.
 *
 * Bounded: a time limit on the upload, timeouts on start-up and shutdown; both child
 * processes are stopped and the temp directory removed at the end.
 *
 *   npm run bench:upload [-- --port 0 --upload-mib 1024 --no-results]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appendResults, commitDescription, createHarness, freePort, machineDescription } from './harness';
import { MiB, RssSampler, formatRss, makePayload, putParts, type RssFigures } from './upload-memory';

const { values } = parseArgs({
  options: {
    /** The app's port; 0 = a free one. */
    port: { type: 'string', default: '0' },
    'upload-mib': { type: 'string', default: '1024' },
    /** Print only; do not append to bench/RESULTS.md. */
    'no-results': { type: 'boolean', default: false },
  },
});
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

const harness = createHarness('classcast-bench-upload-');
const dataDir = harness.dir('data');
const s3Dir = harness.dir('s3');

// ---------------------------------------------------------------------------------------------
// HTTP helpers

let origin = '';

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

try {
  const port = Number(values.port) || (await freePort());
  origin = `http://127.0.0.1:${port}`;
  const load0 = os.loadavg()[0];

  // 1. The S3 stand-in, alone in its process, on a free port.
  const s3 = harness.start(
    'S3 stand-in',
    'scripts/s3-local.ts',
    ['--port', '0', '--dir', s3Dir, '--origin', origin],
    process.env,
  );
  const [, s3Endpoint] = await harness.waitForLine(s3, /listening on (http:\/\/\S+)/, 60_000);

  // 2. The app (production build, embedded Postgres, demo data) pointed at it.
  const app = harness.start('app server', 'scripts/start.ts', [], {
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
  await harness.waitForHealthy(app, origin); // the banner (demo passwords) is drained, not echoed
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

  // Report.
  const when = new Date().toISOString();
  const lines = [
    `## Upload memory ${when}`,
    '',
    `- machine: ${machineDescription()}; load average at start ${load0.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)}`,
    `- commit: ${commitDescription()}`,
    '- embedded Postgres, S3 stand-in in its own process',
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

  if (!flat) process.exitCode = 1;
  if (!values['no-results']) appendResults(lines.join('\n'));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await harness.cleanUp();
}
