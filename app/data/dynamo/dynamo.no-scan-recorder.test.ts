/**
 * The recorder every DynamoDB test file ends with must really see a Scan: a real one,
 * sent through an adapter context and through a watched plain client, makes it throw.
 */
import { DynamoDBClient, ScanCommand as RawScanCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoScan, operationLog } from '../../../tests/dynamo-operations';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../../tools/dynamodb-local';
import { createContext } from './client';
import { ensureTables } from './index';

let local: DynamoDbLocal;
let opts: { endpoint: string; region: string; tablePrefix: string; credentials: typeof LOCAL_CREDENTIALS };

beforeAll(async () => {
  local = await startDynamoDbLocal();
  opts = { endpoint: local.endpoint, region: 'us-east-1', tablePrefix: 'scan-probe-', credentials: LOCAL_CREDENTIALS };
  await ensureTables(opts);
});

afterAll(async () => {
  await local?.stop();
});

describe('the no-Scan recorder', () => {
  it('catches a Scan sent through an adapter context (DocumentClient)', async () => {
    const log = operationLog();
    const ctx = createContext({ ...opts, onCommand: log.record });
    try {
      await ctx.doc.send(new ScanCommand({ TableName: ctx.tables.users, Limit: 1 }));
    } finally {
      ctx.doc.destroy();
    }
    expect(log.byName()).toEqual({ ScanCommand: 1 });
    expect(() => assertNoScan(log.byName(), 'probe')).toThrow(/full-table reads were sent: ScanCommand × 1/);
  });

  it('catches a Scan sent through a watched plain client', async () => {
    const log = operationLog();
    const client = log.watch(new DynamoDBClient(opts));
    try {
      await client.send(new RawScanCommand({ TableName: `${opts.tablePrefix}users`, Limit: 1 }));
    } finally {
      client.destroy();
    }
    expect(() => assertNoScan(log.byName(), 'probe')).toThrow(/ScanCommand/);
  });

  it('counts stand-in operation names as the SDK names them, and refuses a silent recorder', () => {
    expect(() => assertNoScan({ 'DynamoDB_20120810.Scan': 2, Query: 5 }, 'probe')).toThrow(/Scan × 2/);
    expect(() => assertNoScan({ ExecuteStatement: 1 }, 'probe')).toThrow(/ExecuteStatement/);
    expect(() => assertNoScan({ QueryCommand: 3 }, 'probe', 4)).toThrow(/only 3/);
    expect(() => assertNoScan({ QueryCommand: 3, GetItemCommand: 1 }, 'probe', 4)).not.toThrow();
  });
});
