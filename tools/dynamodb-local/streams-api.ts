/**
 * The DynamoDB Streams API (target prefix DynamoDBStreams_20120810) over the StreamLog: one
 * open shard per stream, shard iterators as self-describing tokens that expire after 15
 * minutes as on AWS.
 */
import { createHash } from 'node:crypto';
import { serviceError, validationError, type Table } from './dynalite-internals';
import { type ExtendedStore } from './store-hooks';
import { formatSequenceNumber } from './stream-log';

const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;

interface ShardIterator {
  streamArn: string;
  shardId: string;
  after: string;
  issuedAt: number;
}

const streamNotFound = (arn: unknown) =>
  serviceError('ResourceNotFoundException', `Requested resource not found: Stream: ${String(arn)} not found`);

const shardIdOf = (streamArn: string) =>
  `shardId-00000000000000000001-${createHash('sha256').update(streamArn).digest('hex').slice(0, 8)}`;

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw validationError(
      `1 validation error detected: Value null at '${field[0].toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalLimit(body: Record<string, unknown>, max: number): number | undefined {
  if (body.Limit === undefined) return undefined;
  if (!Number.isInteger(body.Limit) || (body.Limit as number) < 1 || (body.Limit as number) > max) {
    throw validationError(
      `1 validation error detected: Value '${String(body.Limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return body.Limit as number;
}

function encodeIterator(it: ShardIterator): string {
  return `${it.streamArn}|${Buffer.from(JSON.stringify(it)).toString('base64url')}`;
}

function decodeIterator(token: string): ShardIterator {
  const encoded = token.slice(token.lastIndexOf('|') + 1);
  try {
    const it = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as ShardIterator;
    if (
      typeof it.streamArn === 'string' &&
      typeof it.shardId === 'string' &&
      /^\d+$/.test(it.after) &&
      typeof it.issuedAt === 'number'
    ) {
      return it;
    }
  } catch {
    // falls through to the same answer as any other unreadable iterator
  }
  throw validationError('Invalid ShardIterator');
}

export function createStreamsApi(ext: ExtendedStore) {
  const { store } = ext;

  async function tablesWithStreams(): Promise<Table[]> {
    const tables = (await store.db.values({ gte: 'table~', lt: 'table~\xff' }).all()) as Table[];
    return tables.filter(
      (t) => t?.LatestStreamArn && t.StreamSpecification?.StreamEnabled && t.TableStatus !== 'DELETING',
    );
  }

  async function tableForStream(streamArn: unknown): Promise<Table> {
    if (typeof streamArn !== 'string') throw streamNotFound(streamArn);
    const match = /:table\/([^/]+)\/stream\//.exec(streamArn);
    if (!match) throw streamNotFound(streamArn);
    const table = await ext.activeTable(match[1]).catch(() => null);
    if (!table || table.LatestStreamArn !== streamArn) throw streamNotFound(streamArn);
    return table;
  }

  async function listStreams(body: Record<string, unknown>) {
    const limit = optionalLimit(body, 100) ?? 100;
    let tables = (await tablesWithStreams()).sort((a, b) => a.TableName.localeCompare(b.TableName));
    if (typeof body.TableName === 'string') tables = tables.filter((t) => t.TableName === body.TableName);
    if (typeof body.ExclusiveStartStreamArn === 'string') {
      const start = tables.findIndex((t) => t.LatestStreamArn === body.ExclusiveStartStreamArn);
      tables = start >= 0 ? tables.slice(start + 1) : tables;
    }
    const page = tables.slice(0, limit);
    return {
      Streams: page.map((t) => ({
        StreamArn: t.LatestStreamArn,
        TableName: t.TableName,
        StreamLabel: t.LatestStreamLabel,
      })),
      ...(tables.length > limit ? { LastEvaluatedStreamArn: page[page.length - 1].LatestStreamArn } : {}),
    };
  }

  async function describeStream(body: Record<string, unknown>) {
    const table = await tableForStream(requireString(body, 'StreamArn'));
    const streamArn = table.LatestStreamArn!;
    return {
      StreamDescription: {
        StreamArn: streamArn,
        StreamLabel: table.LatestStreamLabel,
        StreamStatus: 'ENABLED',
        StreamViewType: table.StreamSpecification?.StreamViewType,
        CreationRequestDateTime: table.CreationDateTime,
        TableName: table.TableName,
        KeySchema: table.KeySchema,
        Shards: [
          { ShardId: shardIdOf(streamArn), SequenceNumberRange: { StartingSequenceNumber: formatSequenceNumber(1n) } },
        ],
      },
    };
  }

  async function getShardIterator(body: Record<string, unknown>) {
    const table = await tableForStream(requireString(body, 'StreamArn'));
    const streamArn = table.LatestStreamArn!;
    const shardId = requireString(body, 'ShardId');
    if (shardId !== shardIdOf(streamArn)) {
      throw serviceError('ResourceNotFoundException', `Requested resource not found: Shard does not exist`);
    }
    const type = requireString(body, 'ShardIteratorType');
    let after: bigint;
    if (type === 'TRIM_HORIZON') after = 0n;
    else if (type === 'LATEST') after = ext.streams.lastSequenceNumber;
    else if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
      const sequence = body.SequenceNumber;
      if (typeof sequence !== 'string' || !/^\d{1,40}$/.test(sequence)) {
        throw validationError(`Invalid SequenceNumber for ShardIteratorType ${type}`);
      }
      after = type === 'AT_SEQUENCE_NUMBER' ? BigInt(sequence) - 1n : BigInt(sequence);
      if (after < 0n) after = 0n;
    } else {
      throw validationError(
        `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`,
      );
    }
    return { ShardIterator: encodeIterator({ streamArn, shardId, after: after.toString(), issuedAt: Date.now() }) };
  }

  async function getRecords(body: Record<string, unknown>) {
    const it = decodeIterator(requireString(body, 'ShardIterator'));
    const limit = optionalLimit(body, MAX_RECORDS) ?? MAX_RECORDS;
    if (Date.now() - it.issuedAt > ITERATOR_LIFETIME_MS) {
      throw serviceError(
        'ExpiredIteratorException',
        'Iterator expired. The iterator was created more than 15 minutes ago.',
      );
    }
    await tableForStream(it.streamArn);
    const records = await ext.streams.read(it.streamArn, BigInt(it.after), limit);
    const last = records.length ? records[records.length - 1].dynamodb.SequenceNumber : it.after;
    return {
      Records: records,
      NextShardIterator: encodeIterator({ ...it, after: BigInt(last).toString(), issuedAt: Date.now() }),
    };
  }

  return {
    ListStreams: listStreams,
    DescribeStream: describeStream,
    GetShardIterator: getShardIterator,
    GetRecords: getRecords,
  };
}
