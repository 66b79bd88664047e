import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, rejection, startTestInstance, type TestInstance } from './test-support';

let t: TestInstance;
beforeAll(async () => {
  t = await startTestInstance();
});
afterAll(() => t?.stop());

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

async function streamTable(name: string, view: StreamViewType) {
  await createTable(t.client, name, { StreamSpecification: { StreamEnabled: true, StreamViewType: view } });
  const { Table } = await t.client.send(new DescribeTableCommand({ TableName: name }));
  return Table!.LatestStreamArn!;
}

async function iterator(StreamArn: string, ShardIteratorType: ShardIteratorType, SequenceNumber?: string) {
  const { StreamDescription } = await t.streams.send(new DescribeStreamCommand({ StreamArn }));
  const ShardId = StreamDescription!.Shards![0].ShardId!;
  return (await t.streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType, SequenceNumber })))
    .ShardIterator!;
}

async function records(
  StreamArn: string,
  type: ShardIteratorType = 'TRIM_HORIZON',
  sequence?: string,
): Promise<_Record[]> {
  const { Records } = await t.streams.send(
    new GetRecordsCommand({ ShardIterator: await iterator(StreamArn, type, sequence) }),
  );
  return Records!;
}

const summary = (rs: _Record[]) =>
  rs.map((r) => ({ event: r.eventName, keys: r.dynamodb!.Keys, new: r.dynamodb!.NewImage, old: r.dynamodb!.OldImage }));

describe('streams', () => {
  it('DescribeTable and ListStreams show a stream only where it is enabled', async () => {
    const arn = await streamTable('with-stream', 'NEW_AND_OLD_IMAGES');
    await createTable(t.client, 'without-stream');
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName: 'with-stream' }));
    expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(arn).toMatch(/^arn:aws:dynamodb:us-east-1:\d+:table\/with-stream\/stream\/\d{4}-\d\d-\d\dT/);
    expect(Table!.LatestStreamLabel).toBe(arn.split('/stream/')[1]);
    const without = await t.client.send(new DescribeTableCommand({ TableName: 'without-stream' }));
    expect(without.Table!.LatestStreamArn).toBeUndefined();

    const listed = await t.streams.send(new ListStreamsCommand({}));
    expect(listed.Streams!.map((s) => s.TableName)).toContain('with-stream');
    expect(listed.Streams!.map((s) => s.TableName)).not.toContain('without-stream');
    const one = await t.streams.send(new ListStreamsCommand({ TableName: 'with-stream' }));
    expect(one.Streams).toEqual([{ StreamArn: arn, TableName: 'with-stream', StreamLabel: Table!.LatestStreamLabel }]);
    const described = await t.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(described.StreamDescription).toMatchObject({
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      TableName: 'with-stream',
    });
  });

  it('records single-item, batch and transactional writes, with rising sequence numbers', async () => {
    const arn = await streamTable('all-paths', 'NEW_AND_OLD_IMAGES');
    const TableName = 'all-paths';
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('a'), n: N(1) } }));
    await t.client.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: S('a') },
        UpdateExpression: 'SET n = :two',
        ExpressionAttributeValues: { ':two': N(2) },
      }),
    );
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('a'), n: N(2) } })); // unchanged: no record
    await t.client.send(new DeleteItemCommand({ TableName, Key: { pk: S('a') } }));
    await t.client.send(new DeleteItemCommand({ TableName, Key: { pk: S('never') } })); // nothing removed: no record
    await t.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [TableName]: [{ PutRequest: { Item: { pk: S('b') } } }, { PutRequest: { Item: { pk: S('c') } } }],
        },
      }),
    );
    await t.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { pk: S('b') },
              UpdateExpression: 'SET n = :one',
              ExpressionAttributeValues: { ':one': N(1) },
            },
          },
          { Delete: { TableName, Key: { pk: S('c') } } },
          { Put: { TableName, Item: { pk: S('d') } } },
        ],
      }),
    );
    // A cancelled transaction leaves no record.
    await rejection(
      t.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: S('e') } } },
            { ConditionCheck: { TableName, Key: { pk: S('d') }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
    );

    const rs = await records(arn);
    const batch = summary(rs.slice(3, 5)).sort((x, y) => x.keys!.pk.S!.localeCompare(y.keys!.pk.S!));
    expect(summary(rs.slice(0, 3))).toEqual([
      { event: 'INSERT', keys: { pk: S('a') }, new: { pk: S('a'), n: N(1) }, old: undefined },
      { event: 'MODIFY', keys: { pk: S('a') }, new: { pk: S('a'), n: N(2) }, old: { pk: S('a'), n: N(1) } },
      { event: 'REMOVE', keys: { pk: S('a') }, new: undefined, old: { pk: S('a'), n: N(2) } },
    ]);
    expect(batch).toEqual([
      { event: 'INSERT', keys: { pk: S('b') }, new: { pk: S('b') }, old: undefined },
      { event: 'INSERT', keys: { pk: S('c') }, new: { pk: S('c') }, old: undefined },
    ]);
    expect(summary(rs.slice(5))).toEqual([
      { event: 'MODIFY', keys: { pk: S('b') }, new: { pk: S('b'), n: N(1) }, old: { pk: S('b') } },
      { event: 'REMOVE', keys: { pk: S('c') }, new: undefined, old: { pk: S('c') } },
      { event: 'INSERT', keys: { pk: S('d') }, new: { pk: S('d') }, old: undefined },
    ]);
    const sequences = rs.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(sequences.every((s, i) => i === 0 || s > sequences[i - 1])).toBe(true);
    expect(rs[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventVersion: '1.1', awsRegion: 'us-east-1' });
    expect(rs[0].dynamodb!.ApproximateCreationDateTime).toBeInstanceOf(Date);
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
  ] as const)('a %s stream carries only what its view type says', async (view, hasNew, hasOld) => {
    const TableName = `view-${view.toLowerCase().replace('_', '-')}`;
    const arn = await streamTable(TableName, view);
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('k'), n: N(1) } }));
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('k'), n: N(2) } }));
    const [, modify] = await records(arn);
    expect(modify.dynamodb!.StreamViewType).toBe(view);
    expect(modify.dynamodb!.Keys).toEqual({ pk: S('k') });
    expect(modify.dynamodb!.NewImage).toEqual(hasNew ? { pk: S('k'), n: N(2) } : undefined);
    expect(modify.dynamodb!.OldImage).toEqual(hasOld ? { pk: S('k'), n: N(1) } : undefined);
  });

  it('reads from TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER, and pages with NextShardIterator', async () => {
    const TableName = 'positions';
    const arn = await streamTable(TableName, 'KEYS_ONLY');
    for (const pk of ['p1', 'p2', 'p3']) await t.client.send(new PutItemCommand({ TableName, Item: { pk: S(pk) } }));
    const latest = await iterator(arn, 'LATEST');
    const all = await records(arn);
    expect(all.map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['p1', 'p2', 'p3']);
    const second = all[1].dynamodb!.SequenceNumber!;
    expect((await records(arn, 'AT_SEQUENCE_NUMBER', second)).map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['p2', 'p3']);
    expect((await records(arn, 'AFTER_SEQUENCE_NUMBER', second)).map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['p3']);

    const empty = await t.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(empty.Records).toEqual([]);
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('p4') } }));
    const after = await t.streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
    expect(after.Records!.map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['p4']);

    const page1 = await t.streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator(arn, 'TRIM_HORIZON'), Limit: 2 }),
    );
    const page2 = await t.streams.send(new GetRecordsCommand({ ShardIterator: page1.NextShardIterator, Limit: 2 }));
    expect([...page1.Records!, ...page2.Records!].map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('answers bad stream requests as DynamoDB does', async () => {
    const arn = await streamTable('bad-requests', 'KEYS_ONLY');
    expect((await rejection(t.streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' })))).name).toBe(
      'ValidationException',
    );
    expect((await rejection(t.streams.send(new DescribeStreamCommand({ StreamArn: `${arn}x` })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect(
      (
        await rejection(
          t.streams.send(
            new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-nope', ShardIteratorType: 'LATEST' }),
          ),
        )
      ).name,
    ).toBe('ResourceNotFoundException');
    expect((await rejection(iterator(arn, 'AT_SEQUENCE_NUMBER'))).name).toBe('ValidationException');
    const badView = createTable(t.client, 'bad-view', {
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'EVERYTHING' as StreamViewType },
    });
    expect((await rejection(badView)).name).toBe('ValidationException');
  });

  it('UpdateTable turns a stream on for an existing table (a new ARN each time) and off again', async () => {
    const TableName = 'stream-later';
    await createTable(t.client, TableName);
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('before') } }));
    await t.client.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
    const { Table } = await t.client.send(new DescribeTableCommand({ TableName }));
    expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const arn = Table!.LatestStreamArn!;
    await t.client.send(new PutItemCommand({ TableName, Item: { pk: S('after') } }));
    expect(summary(await records(arn))).toEqual([
      { event: 'INSERT', keys: { pk: S('after') }, new: { pk: S('after') }, old: undefined },
    ]);
    const again = t.client.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    );
    expect((await rejection(again)).name).toBe('ValidationException');

    await t.client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
    const listed = await t.streams.send(new ListStreamsCommand({ TableName }));
    expect(listed.Streams).toEqual([]);
  });
});
