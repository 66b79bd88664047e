/**
 * DynamoDB-specific checks beyond the shared contract: the fill-the-page loop under a
 * filter (and its call budget), the sparse published index, view markers, storage-key
 * uniqueness, and GSIs being added to tables of the original (hash-only) shape. The
 * community tables' patterns (no Scan, one Query per course per feed source, batched
 * deletes) are counted command by command in dynamo.community.test.ts; messages, notifications
 * and the outbox in dynamo.messaging.test.ts.
 */
import { CreateTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../../tools/dynamodb-local';
import { assertNoScan, operationLog } from '../../../tests/dynamo-operations';
import { DataConflictError, InvalidCursorError } from '../errors';
import { newId } from '../ids';
import type { Assignment, NewSubmissionBundle, Repositories, User, Visibility } from '../repository';
import { createContext, type DynamoContext } from './client';
import { createDynamoRepositories, ensureTables, INDEXES, TABLES } from './index';
import { interactionKey, viewMarkerId } from './keys';
import { queryPage } from './query';

let local: DynamoDbLocal | null = null;
let repos: Repositories;
let ctx: DynamoContext;
let admin: DynamoDBClient;
let prefix: string;
/** Everything this file sends, the harness's own calls included. */
const sentToDynamo = operationLog();

beforeAll(async () => {
  local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  prefix = `classcast-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
  const opts = { endpoint, region: 'us-east-1', tablePrefix: prefix, credentials: LOCAL_CREDENTIALS };
  admin = sentToDynamo.watch(new DynamoDBClient(opts));
  await ensureTables(admin, prefix);
  repos = createDynamoRepositories({ ...opts, onCommand: sentToDynamo.record });
  ctx = createContext({ ...opts, onCommand: sentToDynamo.record });
});

afterAll(async () => {
  assertNoScan(sentToDynamo.byName(), 'dynamo.access-patterns.test.ts', 100);
  await repos?.close();
  ctx?.doc.destroy();
  admin?.destroy();
  await local?.stop();
});

let n = 0;
const aUser = (role: User['role'] = 'student') =>
  repos.users.create({
    email: `u${Date.now()}${n++}@example.test`,
    firstName: 'F',
    lastName: 'L',
    role,
    passwordHash: null,
  });

async function setup() {
  const teacher = await aUser('instructor');
  const joinCode = `J${Date.now().toString(36)}${n++}`.toUpperCase();
  const course = await repos.courses.create({ title: 'C', code: 'C-1', instructorId: teacher.id, joinCode });
  const assignment = await repos.assignments.create({
    courseId: course.id,
    instructorId: teacher.id,
    title: 'A',
    description: '',
    dueDate: new Date(Date.now() + 86400_000).toISOString(),
    maxScore: 10,
    status: 'published',
    visibility: 'class',
  });
  return { teacher, course, assignment, alice: await aUser(), bob: await aUser() };
}

function bundle(a: Assignment, student: User, visibility: Visibility, storageKey?: string): NewSubmissionBundle {
  const id = newId();
  const now = new Date().toISOString();
  return {
    submission: {
      ...{ id, assignmentId: a.id, courseId: a.courseId, studentId: student.id, videoId: id },
      ...{ videoTitle: 't', videoDescription: '', fileName: 'f.mp4', fileSize: 1, fileType: 'video/mp4' },
      ...{ durationSeconds: null, isLate: false, submittedAt: now },
    },
    video: {
      ...{ id, ownerId: student.id, courseId: a.courseId, assignmentId: a.id, submissionId: id, title: 't' },
      ...{ description: '', storageKey: storageKey ?? `videos/${id}.mp4`, contentType: 'video/mp4', sizeBytes: 1 },
      ...{ durationSeconds: null, visibility },
    },
  };
}

describe('dynamodb access patterns', () => {
  it('no adapter module can send a Scan (the SDK command is never imported)', () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(15);
    for (const file of sources) {
      expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toMatch(/\bScan(Command|Input)\b|paginateScan/);
    }
  });

  it('fills filtered video pages across many hidden items, and resumes after the call budget', async () => {
    const { course, alice, bob, assignment } = await setup();
    const ids: Record<string, string> = {};
    for (const name of ['oldest', 'middle']) {
      const b = bundle(assignment, alice, 'class');
      await repos.submissions.createWithVideo(b);
      ids[name] = b.video.id;
    }
    // 60 private videos of alice: more than one Query's read (50) of hidden items.
    for (let i = 0; i < 60; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, () => repos.submissions.createWithVideo(bundle(assignment, alice, 'private'))),
      );
    }
    const newest = bundle(assignment, alice, 'class');
    await repos.submissions.createWithVideo(newest);

    const scope = { viewerId: bob.id, includePrivate: false };
    const first = await repos.videos.listByCourse(course.id, scope, { limit: 2 });
    expect(first.items.map((v) => v.id)).toEqual([newest.video.id, ids.middle]);
    const second = await repos.videos.listByCourse(course.id, scope, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((v) => v.id)).toEqual([ids.oldest]);
    expect(second.nextCursor).toBeNull();

    // Budget of one call per page: short pages, each with a cursor, never a repeat or a gap.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await queryPage(
        ctx,
        {
          table: ctx.tables.videos,
          index: INDEXES.videosByCourse,
          partitionAttr: 'courseId',
          partitionValue: course.id,
          keyAttrs: ['videoId', 'courseId', 'createdSort'],
          descending: true,
          maxCalls: 1,
          filter: {
            expression: '#visibility = :class OR #ownerId = :viewer',
            names: { '#visibility': 'visibility', '#ownerId': 'ownerId' },
            values: { ':class': 'class', ':viewer': bob.id },
          },
        },
        { limit: 2, cursor },
      );
      seen.push(...page.items.map((i) => i.id as string));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([newest.video.id, ids.middle, ids.oldest]);
    expect(pages).toBeGreaterThan(1);
    // Alice sees her private videos too (her own), and the owner list of hers for bob hides them.
    const mine = await repos.videos.listByCourse(
      course.id,
      { viewerId: alice.id, includePrivate: false },
      { limit: 100 },
    );
    expect(mine.items).toHaveLength(63);
    const hers = await repos.videos.listByOwner(alice.id, scope, { limit: 100 });
    expect(hers.items.map((v) => v.id)).toEqual([newest.video.id, ids.middle, ids.oldest]);
  });

  it('keeps the sparse published index in step with status and due date', async () => {
    const { course, assignment } = await setup();
    const draft = await repos.assignments.create({ ...assignment, title: 'D', status: 'draft' });
    const titles = async () =>
      (await repos.assignments.listByCourse(course.id, { includeDrafts: false })).items.map((a) => a.title);
    expect(await titles()).toEqual(['A']);
    await repos.assignments.update(draft.id, {
      status: 'published',
      dueDate: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(await titles()).toEqual(['D', 'A']);
    await repos.assignments.update(draft.id, { status: 'draft' });
    expect(await titles()).toEqual(['A']);

    const page = await repos.assignments.listByCourse(course.id, { includeDrafts: false }, { limit: 1 });
    expect(page.nextCursor).toBeNull();
    const all = await repos.assignments.listByCourse(course.id, { includeDrafts: true }, { limit: 1 });
    expect(all.nextCursor).toBeTruthy();
    // A cursor is only valid for the query that made it.
    await expect(
      repos.assignments.listByCourse(course.id, { includeDrafts: false }, { cursor: all.nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('view markers expire by TTL and never show up as interactions', async () => {
    const { assignment, alice, bob } = await setup();
    const b = bundle(assignment, alice, 'class');
    await repos.submissions.createWithVideo(b);
    expect(await repos.videos.recordView(b.video.id, bob.id, '2026-01-02')).toEqual({ counted: true, viewCount: 1 });
    const marker = await ctx.doc.send(
      new GetCommand({
        TableName: ctx.tables.interactions,
        Key: interactionKey(viewMarkerId(b.video.id, bob.id, '2026-01-02')),
      }),
    );
    expect(marker.Item?.expiresAtEpoch).toBeGreaterThan(Date.now() / 1000 + 2 * 86400);
    expect(marker.Item?.videoId).toBeUndefined();
    const listed = await repos.interactions.listByVideo(b.video.id);
    expect(listed.items.map((i) => i.type)).toEqual(['submitted']);
    const ttl = await admin.send(new DescribeTimeToLiveCommand({ TableName: ctx.tables.interactions }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAtEpoch');
    await expect(repos.videos.recordView(b.video.id, bob.id, '2026-13-45')).rejects.toBeInstanceOf(RangeError);
  });

  it('refuses a second video with the same storage key, writing nothing', async () => {
    const { assignment, alice, bob } = await setup();
    const first = bundle(assignment, alice, 'class');
    await repos.submissions.createWithVideo(first);
    const clash = bundle(assignment, bob, 'class', first.video.storageKey);
    await expect(repos.submissions.createWithVideo(clash)).rejects.toMatchObject({ constraint: 'storageKey' });
    await expect(repos.submissions.createWithVideo(clash)).rejects.toBeInstanceOf(DataConflictError);
    expect(await repos.submissions.getById(clash.submission.id)).toBeNull();
    expect(await repos.videos.getById(clash.video.id)).toBeNull();
  });

  it('adds the new GSIs to tables of the original hash-only shape', async () => {
    const old = `classcast-old-${Date.now().toString(36)}-`;
    const S = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });
    await admin.send(
      new CreateTableCommand({
        TableName: `${old}interactions`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [S('id'), S('videoId')],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'videoId-index',
            KeySchema: [{ AttributeName: 'videoId', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const result = await ensureTables(admin, old);
    expect(result.existing).toContain(`${old}interactions`);
    expect(result.indexesAdded).toEqual(
      expect.arrayContaining([
        `${old}interactions/${INDEXES.interactionsByUser}`,
        `${old}interactions/${INDEXES.interactionsByVideoTime}`,
        `${old}interactions/${INDEXES.commentsByTarget}`,
        `${old}interactions/${INDEXES.repliesByParent}`,
        `${old}interactions/${INDEXES.interactionsForOwner}`,
        `${old}interactions/${INDEXES.interactionsByPost}`,
      ]),
    );
    // Streamed since (STREAMED_TABLES): turned on in place, once.
    expect(result.streamsEnabled).toContain(`${old}interactions`);
    const again = await ensureTables(admin, old);
    expect(again.indexesAdded).toEqual([]);
    expect(again.streamsEnabled).toEqual([]);
  });

  it('keeps messaging in the ten tables: its GSIs join the original messages and notifications tables', async () => {
    expect(TABLES).toHaveLength(10);
    const old = `classcast-old-msg-${Date.now().toString(36)}-`;
    const hashOnly = (name: string, key: string) =>
      admin.send(
        new CreateTableCommand({
          TableName: `${old}${name}`,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        }),
      );
    await hashOnly('messages', 'id');
    await hashOnly('notifications', 'notificationId');
    const result = await ensureTables(admin, old);
    expect(result.existing).toEqual(expect.arrayContaining([`${old}messages`, `${old}notifications`]));
    expect(result.indexesAdded).toEqual(
      expect.arrayContaining([
        `${old}messages/${INDEXES.messagesByConversation}`,
        `${old}messages/${INDEXES.messagesByRecipient}`,
        `${old}messages/${INDEXES.unreadMessagesByThread}`,
        `${old}messages/${INDEXES.conversationsByOwner}`,
        `${old}notifications/${INDEXES.notificationsByRecipient}`,
        `${old}notifications/${INDEXES.unreadNotificationsByRecipient}`,
        `${old}notifications/${INDEXES.outboxDue}`,
      ]),
    );
    expect((await ensureTables(admin, old)).indexesAdded).toEqual([]);
  });
});
