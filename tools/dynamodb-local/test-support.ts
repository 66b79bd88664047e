/** Shared set-up for the stand-in's own tests: a fresh in-memory instance and SDK clients. */
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal, type StartOptions } from './index';

export interface TestInstance {
  local: DynamoDbLocal;
  client: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  stop(): Promise<void>;
}

export async function startTestInstance(opts: StartOptions = {}): Promise<TestInstance> {
  const local = await startDynamoDbLocal(opts);
  const config = { endpoint: local.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  const client = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    local,
    client,
    streams,
    stop: async () => {
      client.destroy();
      streams.destroy();
      await local.stop();
    },
  };
}

/** A table keyed by `pk` (string), with a GSI `byOwner` on `owner` (string), on demand. */
export function tableInput(TableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'owner', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byOwner',
        KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  };
}

export async function createTable(client: DynamoDBClient, name: string, extra: Partial<CreateTableCommandInput> = {}) {
  const { TableDescription } = await client.send(new CreateTableCommand(tableInput(name, extra)));
  return TableDescription!;
}

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the request to fail');
}
