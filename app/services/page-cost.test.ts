/**
 * The course page and the grading pages cost a fixed number of queries: the same with 3
 * students as with 300. Counted at the wire — every SQL statement Prisma sends (query
 * events) and every DynamoDB command (SDK middleware) — on both real adapters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../tools/dynamodb-local';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import { createDynamoRepositories, ensureTables } from '~/data/dynamo/index';
import { newId } from '~/data/ids';
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres } from '~/data/prisma/embedded.server';
import { createPrismaRepositories } from '~/data/prisma/index';
import { migrateDeploy } from '~/data/prisma/migrate.server';
import type { Repositories, User } from '~/data/repository';
import { createS3Storage } from '~/storage/s3.server';
import { listCourseAssignments } from './assignments.server';
import type { ServiceContext } from './context';
import { getCourseDetails } from './courses.server';
import { assignmentProgress, courseGradebook } from './grading.server';

/**
 * The one clock: the services' `now`, handed to the adapters too. It runs in 2031 and ticks
 * a millisecond per reading, so a row stamped by the system clock instead stands out.
 */
let ticks = Date.parse('2031-03-01T09:00:00.000Z');
const clock = () => new Date(ticks++);

interface Backend {
  repos: Repositories;
  /** Queries (SQL statements or DynamoDB commands) sent so far. */
  sent: () => number;
  stop: () => Promise<void>;
}

async function onPglite(): Promise<Backend> {
  const server = await startEmbeddedPostgres({ dataDir: null });
  await migrateDeploy(server.url);
  let count = 0;
  const repos = await createPrismaRepositories({
    databaseUrl: server.url,
    poolMax: EMBEDDED_POOL_MAX,
    onQuery: () => (count += 1),
    now: clock,
  });
  return {
    repos,
    sent: () => count,
    stop: async () => {
      await repos.close();
      await server.stop();
    },
  };
}

let dynamoLocal: DynamoDbLocal | null = null;
async function onDynamo(): Promise<Backend> {
  dynamoLocal = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? dynamoLocal!.endpoint;
  const tablePrefix = `classcast-cost-${newId().toLowerCase()}-`;
  const opts = { endpoint, region: 'us-east-1', tablePrefix, credentials: LOCAL_CREDENTIALS };
  await ensureTables(opts);
  let count = 0;
  const repos = createDynamoRepositories({ ...opts, onCommand: () => (count += 1), now: clock });
  return {
    repos,
    sent: () => count,
    stop: async () => {
      await repos.close();
      await dynamoLocal?.stop();
    },
  };
}

function contextFor(repos: Repositories): ServiceContext {
  return {
    repos,
    loginLimiter: createLoginLimiter({ perIpPerMinute: 1000 }),
    // These pages never touch storage; a client for a closed loopback port proves it.
    storage: createS3Storage({
      region: 'us-east-1',
      bucket: 'classcast-videos',
      endpoint: 'http://127.0.0.1:9',
      credentials: LOCAL_CREDENTIALS,
    }),
    settings: { uploadMaxBytes: 1024 ** 3, appUrl: 'http://127.0.0.1' },
    now: clock,
  };
}

/** In small concurrent batches: the local DynamoDB and PGlite both take a steady stream best. */
async function inBatches<T>(items: T[], run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += 25) await Promise.all(items.slice(i, i + 25).map(run));
}

/** A course with `students` students, two assignments, most students submitted, some graded. */
async function aClass(repos: Repositories, students: number) {
  const teacher = await repos.users.create({
    email: `teacher-${newId()}@example.edu`,
    passwordHash: 'x',
    firstName: 'Tess',
    lastName: 'Teacher',
    role: 'instructor',
  });
  const course = await repos.courses.create({
    title: 'Film',
    code: 'F-1',
    instructorId: teacher.id,
    joinCode: newId().slice(-8),
  });
  const assignments = await Promise.all(
    ['One', 'Two'].map((title) =>
      repos.assignments.create({
        courseId: course.id,
        instructorId: teacher.id,
        title,
        description: '',
        dueDate: new Date(ticks + 86400_000).toISOString(),
        maxScore: 10,
        status: 'published',
        visibility: 'class',
      }),
    ),
  );
  const roster: User[] = [];
  await inBatches(
    Array.from({ length: students }, (_, i) => i),
    async (i) => {
      const user = await repos.users.create({
        email: `student-${newId()}@example.edu`,
        passwordHash: 'x',
        firstName: `S${i}`,
        lastName: 'Student',
        role: 'student',
      });
      await repos.enrollments.enroll({ courseId: course.id, userId: user.id, role: 'student' });
      roster.push(user);
    },
  );
  await inBatches(
    roster.filter((_, i) => i % 3 !== 2),
    async (student) => {
      const id = newId();
      const a = assignments[0];
      await repos.submissions.createWithVideo({
        submission: {
          id,
          assignmentId: a.id,
          courseId: course.id,
          studentId: student.id,
          videoId: id,
          videoTitle: 'Answer',
          videoDescription: '',
          fileName: 'a.webm',
          fileSize: 1000,
          fileType: 'video/webm',
          durationSeconds: 2,
          isLate: false,
          submittedAt: clock().toISOString(),
        },
        video: {
          id,
          ownerId: student.id,
          courseId: course.id,
          assignmentId: a.id,
          submissionId: id,
          title: 'Answer',
          description: '',
          storageKey: `videos/${course.id}/${a.id}/${student.id}/${id}.webm`,
          contentType: 'video/webm',
          sizeBytes: 1000,
          durationSeconds: 2,
          visibility: 'class',
        },
      });
      if (student.firstName.endsWith('0')) {
        await repos.submissions.grade({
          submissionId: id,
          grade: 8,
          feedback: 'Good',
          gradedBy: teacher.id,
          notification: {
            recipientId: student.id,
            senderId: teacher.id,
            senderName: 'Tess Teacher',
            type: 'grade',
            title: 'Graded',
            message: '8 / 10',
            relatedId: id,
            relatedType: 'submission',
            actionUrl: `/submissions/${id}`,
          },
        });
      }
    },
  );
  return { teacher, course, assignment: assignments[0], submitted: roster.length - Math.floor(roster.length / 3) };
}

type PageCosts = Record<'course page' | 'grading page' | 'assignment progress', number>;

async function pageCosts(backend: Backend, students: number): Promise<{ costs: PageCosts; submitted: number }> {
  const ctx = contextFor(backend.repos);
  const { teacher, course, assignment, submitted } = await aClass(backend.repos, students);
  const measure = async (load: () => Promise<unknown>) => {
    const before = backend.sent();
    await load();
    return backend.sent() - before;
  };
  const costs: PageCosts = {
    // The course page's loader: course + roster page, then the assignments with their counts.
    'course page': await measure(async () => {
      await getCourseDetails(ctx, teacher, course.id, {});
      await listCourseAssignments(ctx, teacher, course.id, { limit: 100 });
    }),
    'grading page': await measure(() => courseGradebook(ctx, teacher, course.id, {})),
    'assignment progress': await measure(() => assignmentProgress(ctx, teacher, assignment.id, {})),
  };
  // The numbers are right as well as cheap.
  const gradebook = await courseGradebook(ctx, teacher, course.id, {});
  expect(gradebook.studentCount).toBe(students);
  const row = gradebook.assignments.find((a) => a.id === assignment.id);
  expect(row).toMatchObject({ submitted, notSubmitted: students - submitted });
  return { costs, submitted };
}

describe.each([
  ['prisma on embedded PGlite', onPglite],
  ['dynamodb', onDynamo],
])('page cost on %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('stamps every row with the services’ clock, not the system’s', async () => {
    const { teacher, course, assignment } = await aClass(backend.repos, 1);
    const [enrolment] = (await backend.repos.enrollments.listByCourse(course.id)).items;
    const [submission] = await backend.repos.submissions.latestPerStudent({ courseId: course.id });
    for (const at of [
      teacher.createdAt,
      course.createdAt,
      assignment.createdAt,
      enrolment.createdAt,
      submission.updatedAt,
      submission.gradedAt,
    ]) {
      expect(at).toMatch(/^2031-03-01T/);
    }
  });

  it('is the same with 3 and with 300 students', { timeout: 240_000 }, async () => {
    const small = await pageCosts(backend, 3);
    const large = await pageCosts(backend, 300);
    expect(large.costs).toEqual(small.costs);
    for (const cost of Object.values(small.costs)) expect(cost).toBeLessThanOrEqual(12);
  });
});
