import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../../../tools/dynamodb-local';
import { runRepositoryContract } from '../contract/repository-contract';
import { createDynamoRepositories, ensureTables } from './index';

runRepositoryContract('dynamodb', async () => {
  const local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  // A unique prefix per run, so runs against a shared endpoint never collide.
  const tablePrefix = `classcast-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
  const opts = { endpoint, region: 'us-east-1', tablePrefix, credentials: LOCAL_CREDENTIALS };
  const admin = new DynamoDBClient(opts);
  await ensureTables(admin, tablePrefix);
  admin.destroy();
  return { repos: createDynamoRepositories(opts), teardown: async () => local?.stop() };
});
