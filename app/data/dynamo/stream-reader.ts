/**
 * DynamoDB Streams over the SDK (ListStreams is not needed: DescribeTable names a table's
 * current stream), shaped for the stream poller (app/jobs/stream-poller.server.ts). Works
 * against the stand-in's Streams API and real DynamoDB Streams alike. Records come back as
 * Lambda delivers them (epoch-second creation time); the poller adds the stream's ARN.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ShardRead, StreamReader, StreamShard } from '~/jobs/stream-poller.server';
import type { DynamoOptions } from './client';

const errorName = (err: unknown) => (err as { name?: string } | null)?.name;

function lambdaShaped(record: _Record): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

export function createDynamoStreamReader(
  opts: Pick<DynamoOptions, 'endpoint' | 'region' | 'credentials'>,
): StreamReader & { close(): void } {
  const config = {
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  };
  const tables = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);

  return {
    async streamArn(tableName) {
      try {
        const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
        return Table?.StreamSpecification?.StreamEnabled ? (Table.LatestStreamArn ?? null) : null;
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') return null;
        throw err;
      }
    },

    async shards(streamArn) {
      const found: StreamShard[] = [];
      let ExclusiveStartShardId: string | undefined;
      // Bounded: a stream has at most a few thousand shards over its 24 hours.
      for (let page = 0; page < 100; page += 1) {
        const { StreamDescription } = await streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          if (!shard.ShardId) continue;
          found.push({
            shardId: shard.ShardId,
            ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
          });
        }
        ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
        if (!ExclusiveStartShardId) break;
      }
      return found;
    },

    async iterator(streamArn, shardId, start) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: start.type,
          ...(start.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: start.sequenceNumber } : {}),
        }),
      );
      if (!ShardIterator) throw new Error(`no shard iterator for ${shardId}`);
      return ShardIterator;
    },

    async read(iterator, limit): Promise<ShardRead> {
      try {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
        return { status: 'ok', records: (out.Records ?? []).map(lambdaShaped), next: out.NextShardIterator ?? null };
      } catch (err) {
        if (errorName(err) === 'ExpiredIteratorException') return { status: 'expired' };
        if (errorName(err) === 'TrimmedDataAccessException') return { status: 'trimmed' };
        throw err;
      }
    },

    close() {
      tables.destroy();
      streams.destroy();
    },
  };
}
