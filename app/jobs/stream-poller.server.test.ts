/**
 * The stream poller against the DynamoDB stand-in's Streams API, with the real DynamoDB
 * adapter and the real handlers: a like's notification reaches the bell through the
 * notifications table's stream (the outbox sweep beside the poller only takes what is left),
 * restarts resume from the checkpoint, expired iterators are re-taken, failures are retried
 * from the failed record, an entry due later waits for the outbox sweep. Shard lineage (a
 * closed parent before its children) uses a scripted reader.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../tools/dynamodb-local';
import { assignmentInput, submissionBundle } from '~/data/contract/builders';
import { createDynamoRepositories, ensureTables, tableNamesFor } from '~/data/dynamo/index';
import { createDynamoStreamReader } from '~/data/dynamo/stream-reader';
import type { InteractionTarget, Repositories, User } from '~/data/repository';
import type { LiveEvent, RealtimeBus } from '~/realtime/bus';
import { createMemoryBus } from '~/realtime/memory-bus';
import { createJobs } from './index.server';
import type { StreamHandler } from './outbox-runner.server';
import { memoryCheckpoints } from './stream-checkpoints.server';
import { createStreamPoller, type StreamPoller, type StreamReader } from './stream-poller.server';

vi.mock('~/utils/log.server', () => ({ logError: vi.fn(), logInfo: vi.fn() }));

let local: DynamoDbLocal;
let repos: Repositories;
let reader: ReturnType<typeof createDynamoStreamReader>;
let names: ReturnType<typeof tableNamesFor>;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  const prefix = `classcast-poll-${Date.now().toString(36)}-`;
  const opts = { endpoint: local.endpoint, region: 'us-east-1', tablePrefix: prefix, credentials: LOCAL_CREDENTIALS };
  await ensureTables(opts);
  repos = createDynamoRepositories(opts);
  reader = createDynamoStreamReader(opts);
  names = tableNamesFor(prefix);
});

afterAll(async () => {
  reader?.close();
  await repos?.close();
  await local?.stop();
});

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const stop of stops.splice(0)) await stop();
});

function recordingBus(): RealtimeBus & { events: LiveEvent[] } {
  const bus = createMemoryBus();
  const events: LiveEvent[] = [];
  return { ...bus, events, publish: (e) => (events.push(e), bus.publish(e)) };
}

let n = 0;
const aUser = (firstName: string) =>
  repos.users.create({
    email: `p${Date.now()}${n++}@example.test`,
    firstName,
    lastName: 'P',
    role: 'student',
    passwordHash: null,
  });

/** A video owned by `owner`, and a way to like it as the services do (one collapsed notification). */
async function aVideoOf(owner: User) {
  const teacher = await repos.users.create({
    email: `t${Date.now()}${n++}@example.test`,
    firstName: 'T',
    lastName: 'T',
    role: 'instructor',
    passwordHash: null,
  });
  const course = await repos.courses.create({
    title: 'C',
    code: 'C-1',
    instructorId: teacher.id,
    joinCode: `J${Date.now().toString(36)}${n++}`.toUpperCase(),
  });
  const assignment = await repos.assignments.create(assignmentInput(course.id, teacher.id));
  const bundle = submissionBundle(assignment, owner, { visibility: 'class' });
  await repos.submissions.createWithVideo(bundle);
  const target: InteractionTarget = { type: 'video', id: bundle.video.id, courseId: course.id, ownerId: owner.id };
  const like = (liker: User) =>
    repos.interactions.setLike({
      target,
      userId: liker.id,
      liked: true,
      notification: {
        recipientId: owner.id,
        senderId: liker.id,
        senderName: liker.firstName,
        type: 'like',
        title: 'New like',
        message: `${liker.firstName} liked your video.`,
        relatedId: bundle.video.id,
        relatedType: 'video',
        actionUrl: `/videos/${bundle.video.id}`,
        collapseKey: `like:video:${bundle.video.id}`,
      },
    });
  return { like };
}

const bellEvents = (bus: { events: LiveEvent[] }, userId: string) =>
  bus.events.filter((e) => e.type === 'notification' && e.userId === userId);

function jobsOn(bus: RealtimeBus, checkpoints = memoryCheckpoints()) {
  const jobs = createJobs(
    { repos, bus },
    {
      streams: {
        reader,
        checkpoints,
        tableNames: { users: names.users, notifications: names.notifications },
        pollMs: 20,
      },
    },
  );
  stops.push(() => jobs.stop());
  return { jobs, checkpoints };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('stream jobs on the DynamoDB stand-in', () => {
  it('a like produces its notification on the bell through the notifications stream', async () => {
    const owner = await aUser('Owner');
    const liker = await aUser('Lee');
    const video = await aVideoOf(owner);
    const bus = recordingBus();
    const { jobs } = jobsOn(bus);
    // Catch up with whatever earlier tests wrote: the stream starts at its horizon.
    await jobs.runNow();
    const before = bellEvents(bus, owner.id).length;

    jobs.start();
    await video.like(liker);
    await until(() => bellEvents(bus, owner.id).length > before, 'the bell event');
    const [page] = [await repos.notifications.listByRecipient(owner.id)];
    const stored = page.items[0]!;
    expect(bellEvents(bus, owner.id).slice(before)).toEqual([
      {
        type: 'notification',
        userId: owner.id,
        notificationId: stored.id,
        position: { at: stored.createdAt, id: stored.id },
        unreadCount: 1,
      },
    ]);
    // The relay completed the entry: nothing is left for an outbox runner to deliver again.
    await until(async () => (await repos.outbox.countPending()) === 0, 'the entry to complete');
    await jobs.runNow();
    expect(bellEvents(bus, owner.id).length).toBe(before + 1);
  });

  it('an entry due later (a day’s digest) passes the stream untouched and goes out once, by the sweep, when due', async () => {
    const bus = recordingBus();
    const sent: string[] = [];
    const jobs = createJobs(
      { repos, bus },
      {
        streams: {
          reader,
          checkpoints: memoryCheckpoints(),
          tableNames: { users: names.users, notifications: names.notifications },
          pollMs: 20,
        },
        sweepMs: 0,
        effects: { mail: async (entryId) => void sent.push(entryId) },
      },
    );
    stops.push(() => jobs.stop());
    await jobs.runNow();
    const user = await aUser('Dee');
    const dueAt = Date.now() + 3_000;
    const { entry } = await repos.outbox.enqueue(
      { topic: 'mail', mail: { kind: 'digest', userId: user.id, day: '2026-12-01' } },
      { availableAt: new Date(dueAt).toISOString() },
    );
    // The stream carries the INSERT at once; the relay leaves the entry waiting.
    await jobs.runNow();
    await jobs.runNow();
    expect(sent).toEqual([]);
    expect(await repos.outbox.countPending('mail')).toBeGreaterThanOrEqual(1);
    // Other events keep flowing meanwhile: a like right after it reaches the bell at once.
    const owner = await aUser('Owner');
    const video = await aVideoOf(owner);
    await video.like(await aUser('Lee'));
    await until(async () => (await jobs.runNow(), bellEvents(bus, owner.id).length === 1), 'the like on the bell', 700);
    expect(sent).toEqual([]);
    await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now()) + 100));
    await jobs.runNow();
    await jobs.runNow();
    expect(sent.filter((id) => id === entry.id)).toEqual([entry.id]);
  });

  it('resumes after its checkpoint on restart: records written meanwhile once, earlier ones never again', async () => {
    const owner = await aUser('Owner');
    const video = await aVideoOf(owner);
    const bus = recordingBus();
    const checkpoints = memoryCheckpoints();
    const first = jobsOn(bus, checkpoints).jobs;
    await video.like(await aUser('Ann'));
    await first.runNow();
    expect(bellEvents(bus, owner.id)).toHaveLength(1);
    await first.stop();

    // Down: a like arrives that nobody polls for.
    await video.like(await aUser('Bo'));
    const iterators = vi.spyOn(reader, 'iterator');
    const saved = new Map(checkpoints.entries);
    const second = jobsOn(bus, checkpoints).jobs;
    await second.runNow();
    const notificationsStream = (await reader.streamArn(names.notifications))!;
    const resumed = iterators.mock.calls.find(([arn]) => arn === notificationsStream)!;
    expect(resumed[2]).toEqual({
      type: 'AFTER_SEQUENCE_NUMBER',
      sequenceNumber: saved.get(`${notificationsStream} ${resumed[1]}`)?.after ?? 'none',
    });
    iterators.mockRestore();
    const bell = bellEvents(bus, owner.id);
    expect(bell).toHaveLength(2);
    expect(bell[1]).toMatchObject({ unreadCount: 1 });
    await second.runNow();
    expect(bellEvents(bus, owner.id)).toHaveLength(2);
  });

  it('takes a new iterator from the checkpoint when the old one expired (15 minutes)', async () => {
    const owner = await aUser('Owner');
    const video = await aVideoOf(owner);
    const bus = recordingBus();
    const { jobs } = jobsOn(bus);
    await jobs.runNow();
    const reads = vi.spyOn(reader, 'read');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    await video.like(await aUser('Cy'));
    await jobs.runNow();
    expect(bellEvents(bus, owner.id)).toHaveLength(1);
    const outcomes = await Promise.all(reads.mock.results.map((r) => r.value as Promise<{ status: string }>));
    expect(outcomes.map((o) => o.status)).toContain('expired');
    reads.mockRestore();
  });

  it('revoking a session ends its live streams through the users stream', async () => {
    const user = await aUser('Sam');
    const bus = recordingBus();
    const { jobs } = jobsOn(bus);
    await jobs.runNow();
    const session = await repos.authSessions.create({
      userId: user.id,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await repos.authSessions.revoke(session.id);
    await jobs.runNow();
    expect(bus.events.filter((e) => e.type === 'session-ended')).toEqual([
      { type: 'session-ended', userId: user.id, sessionId: session.id },
    ]);
  });
});

describe('outbox.claim on DynamoDB (how a stream record takes its entry)', () => {
  it('leases a due entry once, reports it leased until the lease runs out, and done once completed', async () => {
    const user = await aUser('Cla');
    const [n1] = await repos.notifications.createMany([
      {
        recipientId: user.id,
        senderId: null,
        senderName: null,
        type: 'grade',
        title: 'Claim me',
        message: 'm',
        relatedId: null,
        relatedType: null,
        actionUrl: null,
      },
    ]);
    const found = (await repos.outbox.claimDue(100, 0)).find(
      (e) => e.event.topic === 'notification' && e.event.notificationId === n1!.id,
    )!;
    expect(await repos.outbox.claim(found.id, 60_000)).toMatchObject({ status: 'claimed', entry: { id: found.id } });
    expect(await repos.outbox.claim(found.id, 60_000)).toEqual({ status: 'leased' });
    expect((await repos.outbox.claim(found.id, 0)).status).toBe('leased');
    await repos.outbox.complete(found.id);
    expect(await repos.outbox.claim(found.id, 60_000)).toEqual({ status: 'done' });
    expect(await repos.outbox.claim('no-such-entry', 60_000)).toEqual({ status: 'done' });
  });
});

describe('stream poller', () => {
  const rec = (seq: number): DynamoDBRecord => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: String(seq) } });

  /** A stream of a parent shard (closed, records 1-2) and its child (open, record 3). */
  function scriptedReader(): StreamReader & { iteratorsTaken: string[] } {
    const shards = { parent: [rec(1), rec(2)], child: [rec(3)] };
    const iteratorsTaken: string[] = [];
    return {
      iteratorsTaken,
      streamArn: async () => 'arn:stream',
      shards: async () => [{ shardId: 'child', parentShardId: 'parent' }, { shardId: 'parent' }],
      iterator: async (_arn, shardId, start) => {
        iteratorsTaken.push(`${shardId} ${start.type}${'sequenceNumber' in start ? ` ${start.sequenceNumber}` : ''}`);
        const after = 'sequenceNumber' in start ? Number(start.sequenceNumber) : 0;
        return JSON.stringify({ shardId, after });
      },
      read: async (iterator) => {
        const { shardId, after } = JSON.parse(iterator) as { shardId: 'parent' | 'child'; after: number };
        const records = shards[shardId].filter((r) => Number(r.dynamodb!.SequenceNumber) > after);
        const last = records.length ? Number(records[records.length - 1]!.dynamodb!.SequenceNumber) : after;
        return { status: 'ok', records, next: shardId === 'parent' ? null : JSON.stringify({ shardId, after: last }) };
      },
    };
  }

  function pollerWith(handler: StreamHandler, reader: StreamReader, checkpoints = memoryCheckpoints()): StreamPoller {
    const poller = createStreamPoller({
      reader,
      checkpoints,
      subscriptions: [{ tableName: 't', handler }],
      retry: { baseMs: 0, maxMs: 0 },
    });
    stops.push(() => poller.stop());
    return poller;
  }

  it('reads a parent shard to its end before its child, and remembers the closed parent', async () => {
    const seen: string[] = [];
    const checkpoints = memoryCheckpoints();
    const reader = scriptedReader();
    const poller = pollerWith(
      async (e) => (e.Records.forEach((r) => seen.push(r.dynamodb!.SequenceNumber!)), { batchItemFailures: [] }),
      reader,
      checkpoints,
    );
    await poller.pollOnce();
    await poller.pollOnce();
    expect(seen).toEqual(['1', '2', '3']);
    expect(checkpoints.entries.get('arn:stream parent')).toEqual({ after: '2', finished: true });
    expect(reader.iteratorsTaken).toEqual(['parent TRIM_HORIZON', 'child TRIM_HORIZON']);
  });

  it('retries from the first failed record (and everything after it), checkpointing what succeeded', async () => {
    let failTwo = true;
    const seen: string[] = [];
    const checkpoints = memoryCheckpoints();
    const reader = scriptedReader();
    const poller = pollerWith(
      async (e) => {
        e.Records.forEach((r) => seen.push(r.dynamodb!.SequenceNumber!));
        const two = e.Records.find((r) => r.dynamodb!.SequenceNumber === '2');
        if (two && failTwo) {
          failTwo = false;
          return { batchItemFailures: [{ itemIdentifier: '2' }] };
        }
        return { batchItemFailures: [] };
      },
      reader,
      checkpoints,
    );
    await poller.pollOnce();
    expect(checkpoints.entries.get('arn:stream parent')).toEqual({ after: '1', finished: false });
    await poller.pollOnce();
    await poller.pollOnce();
    expect(seen).toEqual(['1', '2', '2', '3']);
    expect(reader.iteratorsTaken).toContain('parent AFTER_SEQUENCE_NUMBER 1');
  });

  it('treats a thrown handler as a failure of the whole batch, and stops cleanly', async () => {
    const seen: string[] = [];
    let calls = 0;
    const poller = pollerWith(async (e) => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      e.Records.forEach((r) => seen.push(r.dynamodb!.SequenceNumber!));
      return { batchItemFailures: [] };
    }, scriptedReader());
    await poller.pollOnce();
    expect(seen).toEqual([]);
    await poller.pollOnce();
    await poller.pollOnce();
    expect(seen).toEqual(['1', '2', '3']);
    await poller.stop();
    await poller.pollOnce();
  });
});
