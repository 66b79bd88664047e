/**
 * The Lambda entry points as the runtime calls them: env-configured, deps built on the first
 * call, fed the records the notifications table's stream really holds (read with the SDK
 * from the stand-in, converted as Lambda delivers them). A second delivery has no effect.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../tools/dynamodb-local';
import { createDynamoRepositories, ensureTables, tableNamesFor } from '~/data/dynamo/index';
import { createDynamoStreamReader } from '~/data/dynamo/stream-reader';
import type { Repositories } from '~/data/repository';

vi.mock('~/utils/log.server', () => ({ logError: vi.fn(), logInfo: vi.fn(), logWarn: vi.fn(), logWarning: vi.fn() }));

let local: DynamoDbLocal;
let repos: Repositories;
const prefix = `classcast-lambda-${Date.now().toString(36)}-`;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  const opts = { endpoint: local.endpoint, region: 'us-east-1', tablePrefix: prefix, credentials: LOCAL_CREDENTIALS };
  await ensureTables(opts);
  repos = createDynamoRepositories(opts);
  vi.stubEnv('DYNAMODB_ENDPOINT', local.endpoint);
  vi.stubEnv('DYNAMODB_TABLE_PREFIX', prefix);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
  vi.stubEnv('REALTIME_BUS', 'memory');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await repos?.close();
  await local?.stop();
});

describe('lambda entry points', () => {
  it('exports one <tableKey>Stream handler per table a job reads, each streamed, and nothing else of that name', async () => {
    const lambda = await import('./lambda');
    const { STREAMED_TABLES } = await import('~/data/dynamo/tables');
    const { STREAM_JOB_TABLES } = await import('./stream-job-tables');
    expect(
      Object.keys(lambda)
        .filter((k) => k.endsWith('Stream'))
        .sort(),
    ).toEqual(STREAM_JOB_TABLES.map((t) => `${t}Stream`).sort());
    for (const table of STREAM_JOB_TABLES) expect(STREAMED_TABLES[table], table).toBeDefined();
  });

  it('notificationsStream completes the outbox entry of a notification once, however often it is delivered', async () => {
    const { notificationsStream } = await import('./lambda');
    const recipient = await repos.users.create({
      email: `r${Date.now()}@example.test`,
      firstName: 'R',
      lastName: 'R',
      role: 'student',
      passwordHash: null,
    });
    await repos.notifications.createMany([
      {
        recipientId: recipient.id,
        senderId: null,
        senderName: null,
        type: 'announcement',
        title: 'Hi',
        message: 'Hello',
        relatedId: null,
        relatedType: null,
        actionUrl: null,
      },
    ]);
    expect(await repos.outbox.countPending()).toBe(1);

    const reader = createDynamoStreamReader({
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const arn = (await reader.streamArn(tableNamesFor(prefix).notifications))!;
    const [shard] = await reader.shards(arn);
    const read = await reader.read(await reader.iterator(arn, shard!.shardId, { type: 'TRIM_HORIZON' }), 100);
    reader.close();
    expect(read.status).toBe('ok');
    const Records = read.status === 'ok' ? read.records.map((r) => ({ ...r, eventSourceARN: arn })) : [];
    expect(Records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT']);

    expect(await notificationsStream({ Records })).toEqual({ batchItemFailures: [] });
    expect(await repos.outbox.countPending()).toBe(0);
    expect(await notificationsStream({ Records })).toEqual({ batchItemFailures: [] });
  });
});
