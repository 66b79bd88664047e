/**
 * The jobs on the real Postgres adapter (embedded PGlite): what a commit writes is published
 * on the bus once, survives a crash before the job ran, is retried with backoff, is not
 * published twice by two runners (two processes) on one database, and a row deleted since
 * is completed without a publish.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaRepositories } from '~/data/prisma/index';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { NewNotification, OutboxRepository, Repositories, User } from '~/data/repository';
import type { LiveEvent, RealtimeBus } from '~/realtime/bus';
import { createMemoryBus } from '~/realtime/memory-bus';
import { assignmentInput, submissionBundle } from '~/data/contract/builders';
import { createJobs } from './index.server';
import { createNotificationsStreamHandler } from './notifications-stream';
import { createMessagesStreamHandler } from './messages-stream';
import { createMailHandler, mailNotConfigured } from './mail-stream';
import { createLtiScoreHandler, passbackNotConfigured } from './lti-score-stream';
import { createOutboxRunner, retryDelayMs, type OutboxRunner } from './outbox-runner.server';
import { startMigratedDatabase } from '../../tests/migrated-database';

let databaseUrl: string;
let stopDb: () => Promise<void>;
/** Two "processes": each its own repositories (connections, onWrite listeners) on one database. */
let processA: Repositories;
let processB: Repositories;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

beforeAll(async () => {
  const db = await startMigratedDatabase();
  stopDb = db.stop;
  databaseUrl = db.url;
  processA = await createPrismaRepositories({ databaseUrl, poolMax: 1, now: clock });
  processB = await createPrismaRepositories({ databaseUrl, poolMax: 1, now: clock });
}, 120_000);

afterAll(async () => {
  await processA?.close();
  await processB?.close();
  await stopDb?.();
}, 60_000);

const running: OutboxRunner[] = [];
afterEach(async () => {
  for (const runner of running.splice(0)) await runner.stop();
  offsetMs = 0;
});

/** A bus that also keeps what was published, for counting. */
function recordingBus(): RealtimeBus & { events: LiveEvent[] } {
  const bus = createMemoryBus();
  const events: LiveEvent[] = [];
  return {
    events,
    publish: (event) => {
      events.push(event);
      return bus.publish(event);
    },
    subscribe: bus.subscribe,
    close: bus.close,
  };
}

function jobs(repos: Repositories, bus: RealtimeBus, opts: Parameters<typeof createJobs>[1] = {}) {
  const runner = createJobs({ repos, bus }, { pollMs: 0, ...opts });
  running.push(runner);
  return runner;
}

let n = 0;
const aUser = (): Promise<User> =>
  processA.users.create({
    email: `jobs-${Date.now().toString(36)}-${++n}@example.test`,
    firstName: 'Bea',
    lastName: `Jobs${n}`,
    role: 'student',
    passwordHash: null,
  });

const notice = (recipientId: string, title = 'Graded'): NewNotification => ({
  recipientId,
  senderId: null,
  senderName: null,
  type: 'grade',
  title,
  message: 'Your video was graded.',
  relatedId: null,
  relatedType: null,
  actionUrl: '/dashboard',
});

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const published = (bus: { events: LiveEvent[] }, notificationId: string) =>
  bus.events.filter((e) => e.type === 'notification' && e.notificationId === notificationId);

describe('outbox runner on Postgres', () => {
  it('publishes a committed notification once, kicked by the commit', async () => {
    const bus = recordingBus();
    const runner = jobs(processA, bus);
    runner.start();
    const bea = await aUser();
    const [created] = await processA.notifications.createMany([notice(bea.id)]);
    await until(() => published(bus, created!.id).length > 0, 'the publish');
    await runner.runNow();
    await runner.runNow();
    expect(published(bus, created!.id)).toEqual([
      {
        type: 'notification',
        userId: bea.id,
        notificationId: created!.id,
        position: { at: created!.createdAt, id: created!.id },
        unreadCount: 1,
      },
    ]);
  });

  it('delivers an entry written while no runner ran (a crash between commit and job)', async () => {
    const bea = await aUser();
    const [created] = await processA.notifications.createMany([notice(bea.id)]);
    expect(await processA.outbox.countPending()).toBeGreaterThan(0);
    // The "restarted" process: another set of connections, its runner started afterwards.
    const bus = recordingBus();
    const runner = jobs(processB, bus, { pollMs: 50 });
    runner.start();
    await until(() => published(bus, created!.id).length === 1, 'the delivery after restart');
    await until(async () => (await processB.outbox.countPending()) === 0, 'the entry to complete');
  });

  it('retries a failing handler with growing backoff, then publishes once', async () => {
    const bus = recordingBus();
    const delays: number[] = [];
    const outbox: OutboxRepository = {
      ...processA.outbox,
      fail: (id, error, retryInMs) => {
        delays.push(retryInMs);
        return processA.outbox.fail(id, error, retryInMs);
      },
    };
    const real = createNotificationsStreamHandler({ bus, notifications: processA.notifications });
    let calls = 0;
    const runner = createOutboxRunner({
      outbox,
      rows: processA,
      pollMs: 0,
      random: () => 0.5,
      retry: { baseMs: 1_000, maxMs: 60_000 },
      handlers: {
        notification: async (event) => {
          calls += 1;
          if (calls <= 2) throw new Error('bus unavailable');
          return real(event);
        },
        message: createMessagesStreamHandler({ bus, messages: processA.messages }),
        ltiScore: createLtiScoreHandler(passbackNotConfigured),
        mail: createMailHandler(mailNotConfigured),
      },
    });
    running.push(runner);
    const bea = await aUser();
    const [created] = await processA.notifications.createMany([notice(bea.id)]);
    await runner.runNow();
    expect(delays).toEqual([750]); // ceiling 1 s, equal jitter at 0.5
    await runner.runNow();
    expect(calls).toBe(1); // not due yet
    offsetMs += 800;
    await runner.runNow();
    expect(delays).toEqual([750, 1_500]); // ceiling 2 s after the second failure
    expect(published(bus, created!.id)).toEqual([]);
    offsetMs += 1_600;
    await runner.runNow();
    expect(calls).toBe(3);
    expect(published(bus, created!.id)).toHaveLength(1);
    offsetMs += 60_000;
    await runner.runNow();
    expect(published(bus, created!.id)).toHaveLength(1);
  });

  it('two runners on one database publish every event once', async () => {
    const bus = recordingBus();
    const a = jobs(processA, bus, { batchSize: 5 });
    const b = jobs(processB, bus, { batchSize: 5 });
    const users = await Promise.all(Array.from({ length: 6 }, aUser));
    const created = await processA.notifications.createMany(
      users.flatMap((u) => [notice(u.id, 'one'), notice(u.id, 'two'), notice(u.id, 'three')]),
    );
    await Promise.all([a.runNow(), b.runNow(), a.runNow(), b.runNow()]);
    await Promise.all([a.runNow(), b.runNow()]);
    for (const c of created) expect(published(bus, c.id)).toHaveLength(1);
    expect(await processA.outbox.countPending()).toBe(0);
  });

  it('completes the entry of a row deleted since, publishing nothing', async () => {
    const bea = await aUser();
    const [created] = await processA.notifications.createMany([notice(bea.id)]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('DELETE FROM notifications WHERE id = $1', [created!.id]);
    } finally {
      await client.end();
    }
    const bus = recordingBus();
    await jobs(processA, bus).runNow();
    expect(published(bus, created!.id)).toEqual([]);
    expect(await processA.outbox.countPending()).toBe(0);
  });

  it('publishes a message to its recipient and to the sender’s other tabs', async () => {
    const [ana, bea] = await Promise.all([aUser(), aUser()]);
    const message = await processA.messages.send({ fromUserId: ana.id, toUserId: bea.id, content: 'Hi Bea' }, null);
    const bus = recordingBus();
    await jobs(processA, bus).runNow();
    const about = bus.events.filter((e) => e.type === 'message' && e.messageId === message.id);
    expect(about).toEqual([
      expect.objectContaining({ userId: bea.id, fromUserId: ana.id, toUserId: bea.id, unreadMessages: 1 }),
      expect.objectContaining({ userId: ana.id, unreadMessages: 0 }),
    ]);
  });
});

/** A graded submission whose grade queued its trip to the LMS (the grade's own transaction). */
async function aGradeForTheLms() {
  const [teacher, student] = await Promise.all([aUser(), aUser()]);
  const course = await processA.courses.create({
    title: 'Jobs',
    code: 'JOB-1',
    description: '',
    instructorId: teacher.id,
    joinCode: `JOBS${Date.now().toString(36)}${++n}`.toUpperCase(),
  });
  const assignment = await processA.assignments.create(assignmentInput(course.id, teacher.id));
  const bundle = submissionBundle(assignment, student);
  await processA.submissions.createWithVideo(bundle);
  const submissionId = bundle.submission.id;
  await processA.submissions.grade({
    submissionId,
    grade: 8,
    feedback: 'Good',
    gradedBy: teacher.id,
    notification: notice(student.id),
    alsoQueue: [{ topic: 'ltiScore', submissionId }],
  });
  return submissionId;
}

describe('ltiScore entries', () => {
  it('hand the graded submission to the configured send, once', async () => {
    const submissionId = await aGradeForTheLms();
    const sent: string[] = [];
    const runner = jobs(processA, recordingBus(), { effects: { ltiScore: async (id) => void sent.push(id) } });
    await runner.runNow();
    await runner.runNow();
    expect(sent.filter((id) => id === submissionId)).toEqual([submissionId]);
    expect(await processA.outbox.countPending()).toBe(0);
  });

  it('stay queued and are retried while passback is not configured, then sent', async () => {
    const submissionId = await aGradeForTheLms();
    await jobs(processA, recordingBus()).runNow();
    expect(await processA.outbox.countPending()).toBe(1);
    // Its retry is due after the backoff (≤ 1 s for a first failure).
    offsetMs = 5_000;
    const sent: string[] = [];
    await jobs(processA, recordingBus(), { effects: { ltiScore: async (id) => void sent.push(id) } }).runNow();
    expect(sent).toEqual([submissionId]);
    expect(await processA.outbox.countPending()).toBe(0);
  });

  it('retry a send that fails', async () => {
    const submissionId = await aGradeForTheLms();
    const calls: string[] = [];
    const flaky = async (id: string) => {
      calls.push(id);
      if (calls.length === 1) throw new Error('the LMS is down');
    };
    await jobs(processA, recordingBus(), { effects: { ltiScore: flaky } }).runNow();
    expect(calls).toEqual([submissionId]);
    expect(await processA.outbox.countPending()).toBe(1);
    offsetMs = 5_000;
    await jobs(processA, recordingBus(), { effects: { ltiScore: flaky } }).runNow();
    expect(calls).toEqual([submissionId, submissionId]);
    expect(await processA.outbox.countPending()).toBe(0);
  });
});

describe('mail entries', () => {
  it('stay queued while this process has no mail handler, then reach the handler as their own entry', async () => {
    const user = await aUser();
    const mail = { kind: 'verify-email' as const, userId: user.id, tokenId: '01JTOKEN000000000000000000' };
    const { entry } = await processA.outbox.enqueue({ topic: 'mail', mail }, { dedupeKey: `mail:test:${user.id}` });
    await jobs(processA, recordingBus()).runNow();
    expect(await processA.outbox.countPending('mail')).toBe(1);
    offsetMs = 5_000;
    const received: DynamoDBStreamEvent[] = [];
    const runner = createOutboxRunner({
      outbox: processA.outbox,
      rows: processA,
      pollMs: 0,
      handlers: {
        notification: createNotificationsStreamHandler({ bus: recordingBus(), notifications: processA.notifications }),
        message: createMessagesStreamHandler({ bus: recordingBus(), messages: processA.messages }),
        ltiScore: createLtiScoreHandler(passbackNotConfigured),
        mail: async (event) => {
          received.push(event);
          return { batchItemFailures: [] };
        },
      },
    });
    running.push(runner);
    await runner.runNow();
    expect(received).toHaveLength(1);
    const [record] = received[0]!.Records;
    expect(record!.dynamodb?.NewImage?.outboxEntryId).toEqual({ S: entry.id });
    expect(record!.dynamodb?.NewImage?.mail?.M?.kind).toEqual({ S: 'verify-email' });
    expect(await processA.outbox.countPending('mail')).toBe(0);
  });
});

describe('outbox.claim on Postgres (how a stream record takes its entry)', () => {
  it('leases a due entry once, reports it leased until the lease runs out, and done once completed', async () => {
    const user = await aUser();
    const [n1] = await processA.notifications.createMany([notice(user.id, 'Claim me')]);
    // A zero lease only finds the entry's id: it is due again at once.
    const found = (await processA.outbox.claimDue(100, 0)).find(
      (e) => e.event.topic === 'notification' && e.event.notificationId === n1!.id,
    )!;
    const first = await processA.outbox.claim(found.id, 60_000);
    expect(first).toMatchObject({ status: 'claimed', entry: { id: found.id, event: found.event } });
    expect(await processB.outbox.claim(found.id, 60_000)).toEqual({ status: 'leased' });
    offsetMs = 61_000;
    expect((await processB.outbox.claim(found.id, 60_000)).status).toBe('claimed');
    await processB.outbox.complete(found.id);
    expect(await processA.outbox.claim(found.id, 60_000)).toEqual({ status: 'done' });
    expect(await processA.outbox.claim('no-such-entry', 60_000)).toEqual({ status: 'done' });
  });
});

describe('stream handlers take what AWS sends', () => {
  const arn = (table: string) =>
    `arn:aws:dynamodb:eu-west-1:123456789012:table/${table}/stream/2026-12-01T09:30:00.123`;

  it('notifications: INSERT and MODIFY of unread rows publish; read, REMOVE and unreadable ones do not', async () => {
    const bea = await aUser();
    await processA.notifications.createMany([notice(bea.id), notice(bea.id)]);
    const bus = recordingBus();
    const handler = createNotificationsStreamHandler({ bus, notifications: processA.notifications });
    const image = (id: string, isRead: boolean) => ({
      notificationId: { S: id },
      id: { S: id },
      recipientId: { S: bea.id },
      senderId: { NULL: true },
      type: { S: 'grade' },
      title: { S: 'Graded' },
      message: { S: 'Your video was graded.' },
      isRead: { BOOL: isRead },
      createdAt: { S: '2026-12-01T09:30:00.000Z' },
      createdSort: { S: '2026-12-01T09:30:00.000Z#' + id },
      actorCount: { N: '1' },
    });
    const record = (seq: string, eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newImage?: object) => ({
      eventID: `c81e728d9d4c2f636f067f89cc14862c-${seq}`,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: 1764581400,
        Keys: { notificationId: { S: `N${seq}` } },
        ...(newImage ? { NewImage: newImage } : {}),
        SequenceNumber: `11100000000000000000000${seq}`,
        SizeBytes: 312,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: arn('classcast-notifications'),
    });
    const event = JSON.parse(
      JSON.stringify({
        Records: [
          record('1', 'INSERT', image('01JAAAAAAAAAAAAAAAAAAAAAA1', false)),
          record('2', 'MODIFY', image('01JAAAAAAAAAAAAAAAAAAAAAA2', false)),
          record('3', 'MODIFY', image('01JAAAAAAAAAAAAAAAAAAAAAA3', true)),
          record('4', 'REMOVE'),
          record('5', 'INSERT', { notificationId: { S: 'x' } }),
        ],
      }),
    ) as DynamoDBStreamEvent;
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(bus.events).toEqual([
      expect.objectContaining({ notificationId: '01JAAAAAAAAAAAAAAAAAAAAAA1', userId: bea.id, unreadCount: 2 }),
      expect.objectContaining({
        notificationId: '01JAAAAAAAAAAAAAAAAAAAAAA2',
        position: { at: '2026-12-01T09:30:00.000Z', id: '01JAAAAAAAAAAAAAAAAAAAAAA2' },
      }),
    ]);
  });

  it('names only the failed record in batchItemFailures', async () => {
    const bea = await aUser();
    let publishes = 0;
    const flaky: Pick<RealtimeBus, 'publish'> = {
      publish: async () => {
        publishes += 1;
        if (publishes === 2) throw new Error('transport down');
      },
    };
    const handler = createMessagesStreamHandler({ bus: flaky, messages: processA.messages });
    const message = (seq: string) => ({
      eventID: `e${seq}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        Keys: { id: { S: `M${seq}` } },
        NewImage: {
          id: { S: `M${seq}` },
          conversationId: { S: `${bea.id}_${bea.id}` },
          fromUserId: { S: bea.id },
          toUserId: { S: bea.id },
          content: { S: 'hello' },
          timestamp: { S: '2026-12-01T09:30:00.000Z' },
          read: { BOOL: false },
        },
        SequenceNumber: `2220000000000000000000${seq}`,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: arn('classcast-messages'),
    });
    const result = await handler({ Records: [message('1'), message('2')] } as DynamoDBStreamEvent);
    // Record 1's two publishes: the second throws, so record 1 fails; record 2 goes through.
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '22200000000000000000001' }] });
  });
});

describe('retryDelayMs', () => {
  const retry = { baseMs: 1_000, maxMs: 10_000 };
  it('doubles per attempt within [ceiling/2, ceiling], capped', () => {
    expect(retryDelayMs(0, retry, () => 0)).toBe(500);
    expect(retryDelayMs(0, retry, () => 0.999999)).toBe(1_000);
    expect(retryDelayMs(3, retry, () => 0)).toBe(4_000);
    expect(retryDelayMs(12, retry, () => 0.999999)).toBe(10_000);
    expect(retryDelayMs(500, retry, () => 0)).toBe(5_000);
  });
});
