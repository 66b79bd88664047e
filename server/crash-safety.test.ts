/**
 * Crash safety (issue 17, part 1): the production server is killed with SIGKILL at chosen
 * points — by its own crash points (app/utils/crash-points.ts) between two steps, and from
 * outside in the middle of a burst of likes — then started again on the same data. What was
 * committed is all there, exactly once; what was not is absent, never half-written; the student
 * retries finalize and gets one submission; counters match the rows they count.
 * On the embedded default, and on a Postgres server where DATABASE_URL is set (as CI does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../app/utils/crash-points';
import { apiClient, type ApiAccount } from '../tests/api-client';
import { ownDatabase } from '../tests/own-database';
import { freePort, startServerProcess, stopServerProcess, type ServerProcess } from '../tests/server-process';

const METRICS_TOKEN = 'crash-safety-metrics-token';

const BACKENDS = [
  { name: 'the embedded default', databaseUrl: async () => '' },
  ...(process.env.DATABASE_URL
    ? [{ name: 'a Postgres server', databaseUrl: () => ownDatabase(process.env.DATABASE_URL!, 'crash') }]
    : []),
];

describe.each(BACKENDS)('crash safety on $name', ({ databaseUrl }) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'classcast-crash-'));
  let env: Record<string, string>;
  let port = 0;
  let server: ServerProcess | undefined;

  /** (Re)starts the server on the same data, port and database; `crashAt` arms one crash point. */
  async function start(crashAt?: CrashPoint) {
    await stopServerProcess(server);
    server = await startServerProcess({ ...env, ...(crashAt ? { CRASH_AT: crashAt } : {}) }, port);
  }

  const { call, uploadVideo, classroom } = apiClient(() => server!.base);

  /** The request the crash point ends: the connection drops, no answer comes. */
  async function dies(request: Promise<unknown>) {
    await expect(request).rejects.toThrow();
    expect(await server!.exited).toBe('SIGKILL');
  }

  /** Every outbox entry done (the restarted runner caught up), read from /metrics. */
  async function outboxDrained() {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${server!.base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      if (/^classcast_outbox_pending 0$/m.test(await res.text())) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the outbox did not drain');
  }

  let teacher: ApiAccount;
  let student: ApiAccount;
  let classmates: ApiAccount[];
  let assignmentId = '';
  let fileKey = '';
  let submissionId = '';

  beforeAll(async () => {
    port = await freePort();
    env = {
      DATA_DIR: dataDir,
      DATABASE_URL: await databaseUrl(),
      DATA_BACKEND: 'postgres',
      EMBEDDED_PG_PORT: String(await freePort()),
      // One S3 stand-in port for every start: presigned URLs made before a crash still work.
      S3_LOCAL_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      METRICS_TOKEN,
    };
    await start('finalize:checked');
    const room = await classroom(7);
    teacher = room.teacher;
    assignmentId = room.assignmentId;
    [student, ...classmates] = room.students as [ApiAccount, ...ApiAccount[]];
  }, 240_000);

  afterAll(async () => {
    await stopServerProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finalize killed after the upload was checked: nothing written; the retry makes one submission', async () => {
    fileKey = await uploadVideo(student.token, assignmentId);
    await dies(call(student.token, 'POST', '/api/video-submissions', { assignmentId, fileKey }));

    await start('grade:committed');
    const none = await call(student.token, 'GET', `/api/video-submissions?assignmentId=${assignmentId}`);
    expect(none.body.submissions).toEqual([]);
    const retried = await call(student.token, 'POST', '/api/video-submissions', { assignmentId, fileKey });
    expect(retried.status).toBe(201);
    const again = await call(student.token, 'POST', '/api/video-submissions', { assignmentId, fileKey });
    expect(again.status).toBe(200);
    expect(again.body.submission.id).toBe(retried.body.submission.id);
    submissionId = retried.body.submission.id;
    const mine = await call(student.token, 'GET', `/api/video-submissions?assignmentId=${assignmentId}`);
    expect(mine.body.submissions).toHaveLength(1);
  }, 120_000);

  it('grading killed right after its commit: the grade and ONE notification are there after the restart', async () => {
    await dies(
      call(teacher.token, 'POST', `/api/video-submissions/${submissionId}/grade`, { grade: 8, feedback: 'Clear.' }),
    );

    await start();
    const graded = await call(student.token, 'GET', `/api/video-submissions/${submissionId}`);
    expect(graded.body.submission).toMatchObject({ status: 'graded', grade: 8 });
    const notifications = await call(student.token, 'GET', '/api/notifications?limit=100');
    const grades = notifications.body.notifications.filter((n: { type: string }) => n.type === 'grade');
    expect(grades).toHaveLength(1);
    expect(grades[0]).toMatchObject({ relatedId: submissionId });
    await outboxDrained();
  }, 120_000);

  it('the outbox runner killed after delivering, before marking done: after the restart each notification is still one row', async () => {
    await start('outbox:delivered');
    // A comment notifies the video's owner; the runner delivers it and dies before completing.
    // The runner starts on the commit, so the answer may or may not beat the crash: the comment
    // is committed either way (the crash point is only reached after the commit).
    const comment = await call(classmates[0]!.token, 'POST', `/api/videos/${submissionId}/interactions`, {
      type: 'comment',
      content: 'Nice pacing.',
    }).catch(() => null);
    if (comment) expect(comment.status).toBe(201);
    expect(await server!.exited).toBe('SIGKILL');

    await start();
    // The restarted runner finds the entry (its lease ran out with the process) and delivers again.
    const deadline = Date.now() + 60_000;
    let comments: Array<{ type: string }> = [];
    while (Date.now() < deadline) {
      const list = await call(student.token, 'GET', '/api/notifications?limit=100');
      comments = list.body.notifications.filter((n: { type: string }) => n.type === 'comment');
      if (comments.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(comments).toHaveLength(1);
    const onVideo = await call(student.token, 'GET', `/api/videos/${submissionId}/interactions?type=comment`);
    expect(onVideo.body.interactions).toHaveLength(1);
  }, 120_000);

  it('killed in the middle of a burst of likes: the like count equals the likes stored', async () => {
    const likes = classmates.map((c) =>
      call(c.token, 'POST', `/api/videos/${submissionId}/like`, { isLiked: true }).catch(() => null),
    );
    await new Promise((r) => setTimeout(r, 15));
    server!.child.kill('SIGKILL');
    await Promise.all(likes);
    await server!.exited;

    await start();
    const video = await call(student.token, 'GET', `/api/videos/${submissionId}`);
    // The like rows, as each classmate's feed reads them (isLiked comes from the like items).
    let stored = 0;
    for (const c of classmates) {
      const feed = await call(c.token, 'GET', '/api/student/feed?limit=50');
      const card = feed.body.feed.find(
        (item: { type: string; id: string }) => item.type === 'video' && item.id === submissionId,
      );
      expect(card, 'the video is in the classmate feed').toBeTruthy();
      if (card.isLiked) stored += 1;
      expect(card.likes).toBe(video.body.video.likes);
    }
    expect(video.body.video.likes).toBe(stored);
    // Everyone likes again (idempotent): the count lands on exactly the number of classmates.
    for (const c of classmates) await call(c.token, 'POST', `/api/videos/${submissionId}/like`, { isLiked: true });
    const after = await call(student.token, 'GET', `/api/videos/${submissionId}`);
    expect(after.body.video.likes).toBe(classmates.length);
  }, 120_000);
});
