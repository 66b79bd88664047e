import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, rejection, startTestInstance, type TestInstance } from './test-support';

const S = (s: string) => ({ S: s });

/** A raw request with the headers a signed SDK request has (the stand-in checks only their presence). */
async function raw(endpoint: string, target: string, body: string) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
      'x-amz-date': '20260101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc',
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as { __type: string } };
}

describe('the server', () => {
  let t: TestInstance;
  beforeAll(async () => {
    t = await startTestInstance();
  });
  afterAll(() => t?.stop());

  it('listens on 127.0.0.1 at the port it reports', async () => {
    expect(t.local.endpoint).toBe(`http://127.0.0.1:${t.local.port}`);
    const res = await fetch(t.local.endpoint);
    expect(res.status).toBe(200);
  });

  it.each([
    ['DynamoDB_20120810.TransactWriteItems', '{not json', 'SerializationException'],
    ['DynamoDB_20120810.TransactWriteItems', '[1]', 'SerializationException'],
    ['DynamoDB_20120810.TransactWriteItems', '', 'SerializationException'],
    ['DynamoDB_20120810.TransactWriteItems', '{}', 'ValidationException'],
    ['DynamoDB_20120810.TransactWriteItems', '{"TransactItems":"x"}', 'SerializationException'],
    ['DynamoDB_20120810.TransactWriteItems', '{"TransactItems":[{"Teleport":{}}]}', 'ValidationException'],
    ['DynamoDB_20120810.TransactGetItems', '{"TransactItems":[{"Get":{"TableName":"x"}}]}', 'ValidationException'],
    ['DynamoDB_20120810.PutItem', '{not json', 'SerializationException'],
    ['DynamoDB_20120810.Teleport', '{}', 'UnknownOperationException'],
    ['DynamoDBStreams_20120810.Teleport', '{}', 'UnknownOperationException'],
    ['DynamoDBStreams_20120810.GetRecords', '{}', 'ValidationException'],
    ['Nonsense', '{}', 'UnknownOperationException'],
  ])('%s with %j answers 400 %s', async (target, body, type) => {
    const res = await raw(t.local.endpoint, target, body);
    expect(res.status).toBe(400);
    expect(res.body.__type.split('#')[1]).toBe(type);
  });

  it('keeps a TimeToLive setting and reports it', async () => {
    await createTable(t.client, 'ttl-table');
    const before = await t.client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl-table' }));
    expect(before.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    await t.client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'ttl-table',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const after = await t.client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl-table' }));
    expect(after.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    const again = t.client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'ttl-table',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    expect((await rejection(again)).name).toBe('ValidationException');
    expect((await rejection(t.client.send(new DescribeTimeToLiveCommand({ TableName: 'no-table' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('creates a global index on an existing table and fills it from the items present', async () => {
    await createTable(t.client, 'grow-index');
    await t.client.send(new PutItemCommand({ TableName: 'grow-index', Item: { pk: S('x1'), colour: S('red') } }));
    await t.client.send(new PutItemCommand({ TableName: 'grow-index', Item: { pk: S('x2') } }));
    await t.client.send(
      new UpdateTableCommand({
        TableName: 'grow-index',
        AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byColour',
              KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      }),
    );
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'grow-index' }));
    expect(Table!.GlobalSecondaryIndexes!.find((g) => g.IndexName === 'byColour')!.IndexStatus).toBe('ACTIVE');
    await t.client.send(new PutItemCommand({ TableName: 'grow-index', Item: { pk: S('x3'), colour: S('red') } }));
    const red = await t.client.send(
      new QueryCommand({
        TableName: 'grow-index',
        IndexName: 'byColour',
        KeyConditionExpression: 'colour = :c',
        ExpressionAttributeValues: { ':c': S('red') },
      }),
    );
    expect(red.Items!.map((i) => i.pk.S).sort()).toEqual(['x1', 'x3']);

    await t.client.send(
      new UpdateTableCommand({
        TableName: 'grow-index',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }],
      }),
    );
    const gone = t.client.send(
      new QueryCommand({
        TableName: 'grow-index',
        IndexName: 'byColour',
        KeyConditionExpression: 'colour = :c',
        ExpressionAttributeValues: { ':c': S('red') },
      }),
    );
    expect((await rejection(gone)).name).toBe('ValidationException');
  });
});

describe('on disk', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps committed writes and stream positions across a restart', async () => {
    const first = await startTestInstance({ dataDir });
    await createTable(first.client, 'durable', {
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    await first.client.send(new PutItemCommand({ TableName: 'durable', Item: { pk: S('single') } }));
    await first.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'durable', Item: { pk: S('tx-1') } } },
          { Put: { TableName: 'durable', Item: { pk: S('tx-2'), owner: S('olga') } } },
        ],
      }),
    );
    await first.stop();

    const second = await startTestInstance({ dataDir });
    try {
      for (const pk of ['single', 'tx-1', 'tx-2']) {
        const { Item } = await second.client.send(new GetItemCommand({ TableName: 'durable', Key: { pk: S(pk) } }));
        expect(Item?.pk).toEqual(S(pk));
      }
      const olga = await second.client.send(
        new QueryCommand({
          TableName: 'durable',
          IndexName: 'byOwner',
          KeyConditionExpression: '#o = :o',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':o': S('olga') },
        }),
      );
      expect(olga.Items!.map((i) => i.pk.S)).toEqual(['tx-2']);
      await second.client.send(new PutItemCommand({ TableName: 'durable', Item: { pk: S('after-restart') } }));
      const { Table } = await second.client.send(new DescribeTableCommand({ TableName: 'durable' }));
      const StreamArn = Table!.LatestStreamArn!;
      const { StreamDescription } = await second.streams.send(new DescribeStreamCommand({ StreamArn }));
      const { ShardIterator } = await second.streams.send(
        new GetShardIteratorCommand({
          StreamArn,
          ShardId: StreamDescription!.Shards![0].ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await second.streams.send(new GetRecordsCommand({ ShardIterator }));
      expect(Records!.map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['single', 'tx-1', 'tx-2', 'after-restart']);
      const sequences = Records!.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
      expect(sequences[3] > sequences[2]).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('refuses a port that is taken, with a clear error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const err = await rejection(startTestInstance({ port }));
      expect(err.message).toMatch(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
