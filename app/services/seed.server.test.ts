/**
 * The demo seed against real ports: embedded Postgres (PGlite) and the local S3 stand-in.
 * Also the dashboards it feeds, read through the same services the pages use.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import { createAccountMailLimiter } from '~/auth/account-mail-limiter.server';
import { createPrismaRepositories } from '~/data/prisma/index';
import { createDynamoRepositories, ensureTables } from '~/data/dynamo/index';
import type { Repositories, User } from '~/data/repository';
import { assertNoScan, operationLog } from '../../tests/dynamo-operations';
import { startMigratedDatabase } from '../../tests/migrated-database';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../../tools/dynamodb-local';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, startLocalS3, type LocalS3 } from '~/storage/local-s3.server';
import { createS3Storage } from '~/storage/s3.server';
import type { ServiceContext } from './context';
import { getDashboard } from './dashboard.server';
import { getStudentFeed } from './feed.server';
import { assignmentProgress } from './grading.server';
import { DEMO_VIDEO_BASE64 } from './seed-assets/answer-video';
import { DEMO_INSTRUCTOR_EMAIL, DEMO_JOIN_CODE, seedDemo } from './seed.server';
import { createMemoryBus } from '~/realtime/memory-bus';

async function onPostgres(): Promise<{ repos: Repositories; stop: () => Promise<void> }> {
  const pg = await startMigratedDatabase();
  return { repos: await createPrismaRepositories({ databaseUrl: pg.url }), stop: pg.stop };
}

async function onDynamo(): Promise<{ repos: Repositories; stop: () => Promise<void> }> {
  const local = await startDynamoDbLocal();
  const opts = {
    endpoint: local.endpoint,
    region: 'us-east-1',
    tablePrefix: 'seed-test-',
    credentials: LOCAL_CREDENTIALS,
  };
  const sentToDynamo = operationLog();
  await ensureTables(opts);
  const repos = createDynamoRepositories({ ...opts, onCommand: sentToDynamo.record });
  const stop = async () => {
    await local.stop();
    assertNoScan(sentToDynamo.byName(), 'the demo seed on DynamoDB', 10);
  };
  return { repos, stop };
}

describe.each([
  ['postgres', onPostgres],
  ['dynamodb', onDynamo],
] as const)('demo seed on %s', (_backend, open) => {
  let ctx: ServiceContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'classcast-seed-test-'));
    const s3: LocalS3 = await startLocalS3({
      directory: dir,
      bucket: 'seed-test',
      corsOrigins: ['http://127.0.0.1:3000'],
    });
    const { repos, stop: stopData } = await open();
    const storage = createS3Storage({
      region: LOCAL_S3_REGION,
      bucket: 'seed-test',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: LOCAL_S3_CREDENTIALS,
    });
    ctx = {
      repos,
      storage,
      loginLimiter: createLoginLimiter({ perIpPerMinute: 100 }),
      accountMailLimiter: createAccountMailLimiter(),
      bus: createMemoryBus(),
      settings: { uploadMaxBytes: 10 * 1024 * 1024, appUrl: 'http://127.0.0.1:3000' },
      now: () => new Date(),
    };
    stop = async () => {
      await repos.close();
      await stopData();
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }, 120_000);

  afterAll(async () => stop?.());

  const user = async (email: string): Promise<User> => {
    const found = await ctx.repos.users.getByEmail(email);
    if (!found) throw new Error(`no ${email}`);
    return found;
  };

  describe('seeding', () => {
    it('inlines exactly the committed WebM fixture', () => {
      const file = readFileSync(path.join(__dirname, 'seed-assets', 'answer.webm'));
      expect(Buffer.from(DEMO_VIDEO_BASE64, 'base64').equals(file)).toBe(true);
      expect(file.length).toBeLessThan(16 * 1024);
    });

    it('fills the demo course with three assignments, real videos in S3 and grades; a second run adds nothing', async () => {
      const logins = await seedDemo(ctx);
      expect(logins?.map((l) => l.role).sort()).toEqual([
        'admin',
        'instructor',
        'student',
        'student',
        'student',
        'student',
      ]);
      expect(await seedDemo(ctx)).toBeNull();

      const course = await ctx.repos.courses.getByJoinCode(DEMO_JOIN_CODE);
      expect(course).not.toBeNull();
      const assignments = (await ctx.repos.assignments.listByCourse(course!.id, { includeDrafts: true })).items;
      expect(assignments.map((a) => a.title)).toEqual([
        'Cells: the smallest unit of life',
        'A food web near you',
        'How DNA copies itself',
      ]);
      const submissions = (await ctx.repos.submissions.listByCourse(course!.id, { limit: 100 })).items;
      expect(submissions).toHaveLength(5);
      expect(
        submissions
          .filter((s) => s.status === 'graded')
          .map((s) => s.grade)
          .sort(),
      ).toEqual([7.5, 9]);
      for (const s of submissions) {
        const video = await ctx.repos.videos.getById(s.videoId);
        const stored = await ctx.storage.head(video!.storageKey);
        expect(stored?.size).toBe(Buffer.from(DEMO_VIDEO_BASE64, 'base64').length);
      }

      const instructor = await user(DEMO_INSTRUCTOR_EMAIL);
      const cells = assignments[0];
      const { students } = await assignmentProgress(ctx, instructor, cells.id);
      expect(Object.fromEntries(students.map((s) => [s.name, s.status]))).toEqual({
        'Aisha Rahman': 'graded',
        'Leo Martins': 'graded',
        'Priya Nair': 'submitted',
        'Tom Becker': 'missing',
      });
      const dna = assignments[2];
      const open = await assignmentProgress(ctx, instructor, dna.id);
      expect(open.students.filter((s) => s.status === 'not-submitted').map((s) => s.name)).toEqual([
        'Aisha Rahman',
        'Priya Nair',
      ]);
    });

    it('gives the demo course a living community with exact counts and notifications; a second run adds nothing', async () => {
      expect(await seedDemo(ctx)).toBeNull();
      const course = (await ctx.repos.courses.getByJoinCode(DEMO_JOIN_CODE))!;
      const [leo, aisha, tom, priya] = await Promise.all(
        [1, 2, 3, 4].map((n) => user(`student${n}@demo.classcast.test`)),
      );
      const instructor = await user(DEMO_INSTRUCTOR_EMAIL);
      const posts = (await ctx.repos.posts.listByCourse(course.id, { limit: 100 })).items;
      expect(posts.map((p) => [p.title, p.authorId, p.likeCount, p.commentCount]).sort()).toEqual(
        [
          ['Welcome to BIO-101', instructor.id, 2, 0],
          ['Study group for the DNA assignment?', aisha.id, 1, 2],
          ['A good mitochondria explainer', tom.id, 0, 1],
        ].sort(),
      );
      expect(posts.find((p) => p.title === 'Welcome to BIO-101')?.isAnnouncement).toBe(true);

      const videos = (
        await ctx.repos.videos.listByCourse(
          course.id,
          { viewerId: instructor.id, includePrivate: true },
          { limit: 100 },
        )
      ).items;
      const byTitle = (title: string) => videos.find((v) => v.title === title)!;
      expect(byTitle('Unzipping the double helix')).toMatchObject({ likeCount: 2, commentCount: 1 });
      expect(byTitle('DNA replication with LEGO')).toMatchObject({ likeCount: 1, commentCount: 2 });
      expect(byTitle('My cell tour')).toMatchObject({ likeCount: 0, commentCount: 1 });

      const lego = (
        await ctx.repos.interactions.listComments({ type: 'video', id: byTitle('DNA replication with LEGO').id })
      ).items;
      expect(lego.map((c) => [c.userId, c.atSeconds, c.replyCount])).toEqual([[leo.id, 1, 1]]);
      const [reply] = await ctx.repos.interactions.listReplies(lego, 10);
      expect(reply).toMatchObject({ userId: tom.id, parentId: lego[0].id });
      const zipper = (
        await ctx.repos.interactions.listComments({ type: 'video', id: byTitle('Unzipping the double helix').id })
      ).items;
      expect(zipper.map((c) => [c.userId, c.atSeconds])).toEqual([[aisha.id, 0.5]]);
      const [response] = (await ctx.repos.interactions.listComments({ type: 'video', id: byTitle('My cell tour').id }))
        .items;
      expect(response).toMatchObject({
        type: 'response',
        userId: priya.id,
        responseVideoId: byTitle('Three organelles in two minutes').id,
      });

      const leoBuddies = (await ctx.repos.connections.listByUser(leo.id)).items;
      expect(leoBuddies.map((c) => [c.connectionId, c.status]).sort()).toEqual(
        [
          [[leo.id, aisha.id].sort().join('_'), 'accepted'],
          [[leo.id, priya.id].sort().join('_'), 'pending'],
        ].sort(),
      );
      expect((await ctx.repos.connections.listByUser(tom.id, { status: 'accepted' })).items).toHaveLength(1);

      // The people concerned were told, as a real like, comment, reply or request would tell them.
      const leoNews = (await ctx.repos.notifications.listByRecipient(leo.id, { limit: 100 })).items;
      expect(
        leoNews
          .filter((n) => ['like', 'comment', 'connection_request', 'connection_accepted'].includes(n.type))
          .map((n) => n.type)
          .sort(),
      ).toEqual(['comment', 'comment', 'connection_accepted', 'connection_request', 'like']);
      // Two classmates liked one of Leo's things: one collapsed notification for both.
      expect(leoNews.find((n) => n.type === 'like')?.actorCount).toBe(2);
      expect(leoNews.every((n) => n.senderId !== leo.id)).toBe(true);

      // What the seed leaves is what a student's feed shows.
      const feed = await getStudentFeed(ctx, leo, {});
      expect(new Set(feed.feed.map((i) => i.type))).toEqual(
        new Set(['video', 'community', 'assignment', 'interaction']),
      );
    });

    it('feeds the dashboards: the instructor’s queue oldest first, a student’s deadlines and grades', async () => {
      const teacher = await getDashboard(ctx, await user(DEMO_INSTRUCTOR_EMAIL));
      expect(teacher.kind).toBe('instructor');
      if (teacher.kind !== 'instructor') return;
      expect(teacher.toGrade.map((s) => `${s.studentName}: ${s.assignmentTitle}`)).toEqual([
        'Priya Nair: Cells: the smallest unit of life',
        'Leo Martins: How DNA copies itself',
        'Tom Becker: How DNA copies itself',
      ]);

      const leo = await getDashboard(ctx, await user('student1@demo.classcast.test'));
      expect(leo.kind).toBe('student');
      if (leo.kind !== 'student') return;
      expect(leo.dueNext.map((a) => [a.title, a.dueState, a.submitted])).toEqual([
        ['A food web near you', 'due-soon', false],
        ['How DNA copies itself', 'open', true],
      ]);
      expect(leo.recentGrades.map((g) => [g.assignmentTitle, g.grade, g.maxScore])).toEqual([
        ['Cells: the smallest unit of life', 9, 10],
      ]);
      expect(leo.courses.map((c) => c.title)).toEqual(['Introduction to Biology']);
    });
  });
});
