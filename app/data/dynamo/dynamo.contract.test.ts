/**
 * The unchanged repository contract on the DynamoDB stand-in, every command it sends recorded:
 * the run fails if any of them reads a whole table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll } from 'vitest';
import { assertNoScan, formatTotals, operationLog } from '../../../tests/dynamo-operations';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../../../tools/dynamodb-local';
import { runRepositoryContract } from '../contract/repository-contract';
import { createDynamoRepositories, ensureTables } from './index';

const sentToDynamo = operationLog();

runRepositoryContract('dynamodb', async () => {
  const local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  // A unique prefix per run, so runs against a shared endpoint never collide.
  const tablePrefix = `classcast-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
  const opts = { endpoint, region: 'us-east-1', tablePrefix, credentials: LOCAL_CREDENTIALS };
  const admin = sentToDynamo.watch(new DynamoDBClient(opts));
  await ensureTables(admin, tablePrefix);
  admin.destroy();
  return {
    repos: createDynamoRepositories({ ...opts, onCommand: sentToDynamo.record }),
    teardown: async () => local?.stop(),
  };
});

afterAll(() => {
  // The whole contract ran through this one recorder: thousands of commands, not one Scan.
  assertNoScan(sentToDynamo.byName(), 'the repository contract on DynamoDB', 1000);
  console.info(`DynamoDB commands sent by the contract run:\n${formatTotals(sentToDynamo.byName())}`);
});
