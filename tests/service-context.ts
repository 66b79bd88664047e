/**
 * Services under test run on the real thing: the Prisma adapter on an in-memory PGlite and
 * the S3 adapter on s3rver, both started once per test file. No mocks, no fakes of the port:
 * a rule that holds here holds in production. Builders make fresh users, courses and
 * assignments for every test, so tests never depend on each other's data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import { createAccountMailLimiter } from '~/auth/account-mail-limiter.server';
import { createPrismaRepositories } from '~/data/prisma/index';
import type { Assignment, Course, NewUser, Role, User } from '~/data/repository';
import type { ServiceContext } from '~/services/context';
import { finalizeSubmission } from '~/services/finalize.server';
import { startUpload } from '~/services/uploads.server';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, startLocalS3 } from '~/storage/local-s3.server';
import { createS3Storage } from '~/storage/s3.server';
import { createMemoryBus } from '../app/realtime/memory-bus';
import { startMigratedDatabase } from './migrated-database';

const BUCKET = 'classcast-service-tests';
export const UPLOAD_MAX_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;

/** The services' clock: real time unless a test moves it. */
export interface TestClock {
  set(at: Date): void;
  advance(ms: number): void;
  reset(): void;
}

export interface ServiceWorld {
  ctx: ServiceContext;
  clock: TestClock;
}

/**
 * Call at the top of a test file: starts PGlite + s3rver before the file's tests and stops
 * them after. The returned object is filled in by beforeAll.
 */
export function setupServiceContext(): ServiceWorld {
  const world = {} as ServiceWorld;
  const stops: Array<() => Promise<void>> = [];
  let offsetMs = 0;
  let fixed: Date | null = null;

  beforeAll(async () => {
    const pg = await startMigratedDatabase();
    stops.push(pg.stop);
    const repos = await createPrismaRepositories({ databaseUrl: pg.url, poolMax: 1 });
    stops.unshift(() => repos.close());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'classcast-services-'));
    const s3 = await startLocalS3({ directory: dir, bucket: BUCKET, corsOrigins: ['*'] });
    stops.push(s3.stop, () => rm(dir, { recursive: true, force: true }));
    world.ctx = {
      repos,
      loginLimiter: createLoginLimiter({ perIpPerMinute: 10_000 }),
      accountMailLimiter: createAccountMailLimiter({ perAddressPerHour: 1000, perIpPerHour: 10_000 }),
      bus: createMemoryBus(),
      storage: createS3Storage({
        region: LOCAL_S3_REGION,
        bucket: BUCKET,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: LOCAL_S3_CREDENTIALS,
      }),
      settings: {
        uploadMaxBytes: UPLOAD_MAX_BYTES,
        appUrl: 'http://127.0.0.1:3000',
        ltiKeySecrets: [randomBytes(32).toString('hex')],
      },
      now: () => (fixed ? new Date(fixed) : new Date(Date.now() + offsetMs)),
    };
    world.clock = {
      set: (at) => (fixed = at),
      advance: (ms) => (fixed ? (fixed = new Date(fixed.getTime() + ms)) : (offsetMs += ms)),
      reset: () => {
        fixed = null;
        offsetMs = 0;
      },
    };
  }, 120_000);

  afterAll(async () => {
    for (const stop of stops) await stop().catch(() => undefined);
  }, 60_000);

  return world;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${++counter}${randomBytes(3).toString('hex')}`;

/** The first bytes of an MP4 (ftyp isom), then padding: enough for the container sniff. */
export function mp4Bytes(size = 2048): Buffer<ArrayBuffer> {
  const bytes = Buffer.alloc(size, 7);
  // size 0x20, 'ftyp', major brand 'isom', minor version, compatible brands isom iso2 avc1 mp41
  Buffer.from('00000020' + '66747970' + '69736f6d' + '00000200' + '69736f6d69736f32617663316d703431', 'hex').copy(
    bytes,
  );
  return bytes;
}

/** Data builders on the real adapter. */
export function builders(world: ServiceWorld) {
  const repos = () => world.ctx.repos;

  function aUser(role: Role, overrides: Partial<NewUser> = {}): Promise<User> {
    return repos().users.create({
      email: `${unique(role)}@example.test`,
      firstName: role === 'student' ? 'Sam' : 'Ines',
      lastName: unique('L'),
      role,
      passwordHash: null,
      ...overrides,
    });
  }

  async function aCourse(instructor: User, students: User[] = []): Promise<Course> {
    const course = await repos().courses.create({
      title: 'Biology 101',
      code: 'BIO-101',
      description: '',
      instructorId: instructor.id,
      joinCode: unique('J').toUpperCase().slice(0, 20),
    });
    for (const s of students) await repos().enrollments.enroll({ courseId: course.id, userId: s.id, role: 'student' });
    return course;
  }

  function anAssignment(course: Course, overrides: Partial<Assignment> = {}): Promise<Assignment> {
    return repos().assignments.create({
      courseId: course.id,
      instructorId: course.instructorId,
      title: 'Explain osmosis',
      description: '',
      dueDate: new Date(world.ctx.now().getTime() + 7 * DAY_MS).toISOString(),
      maxScore: 10,
      status: 'published',
      visibility: 'class',
      ...overrides,
    });
  }

  /** A course with its instructor, two enrolled students, an outsider and one open assignment. */
  async function aClass(assignment: Partial<Assignment> = {}) {
    const teacher = await aUser('instructor');
    const alice = await aUser('student', { firstName: 'Alice' });
    const bob = await aUser('student', { firstName: 'Bob' });
    const outsider = await aUser('student', { firstName: 'Olga' });
    const otherTeacher = await aUser('instructor');
    const admin = await aUser('admin');
    const course = await aCourse(teacher, [alice, bob]);
    const open = await anAssignment(course, assignment);
    return { teacher, alice, bob, outsider, otherTeacher, admin, course, assignment: open };
  }

  /** Puts bytes at a key the way a browser does: a presigned PUT straight to S3. */
  async function putObject(key: string, body: Buffer<ArrayBuffer> = mp4Bytes(), contentType = 'video/mp4') {
    const put = await world.ctx.storage.presignPut({ key, contentType, contentLength: body.length });
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    if (res.status !== 200) throw new Error(`PUT ${key} answered ${res.status}`);
  }

  /** The whole student path: start an upload, PUT the bytes, finalize. */
  async function aSubmission(student: User, assignment: Assignment, body: Buffer<ArrayBuffer> = mp4Bytes()) {
    const started = await startUpload(world.ctx, student, {
      assignmentId: assignment.id,
      fileName: 'answer.mp4',
      contentType: 'video/mp4',
      fileSize: body.length,
    });
    await putObject(started.fileKey, body);
    const { submission } = await finalizeSubmission(world.ctx, student, {
      assignmentId: assignment.id,
      fileKey: started.fileKey,
    });
    return submission;
  }

  return { aUser, aCourse, anAssignment, aClass, putObject, aSubmission };
}

export const days = (n: number) => n * DAY_MS;

/** The call fails with this HTTP status (an AppError), nothing else. */
export async function expectStatus(promise: Promise<unknown>, status: number): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'AppError', status });
}
