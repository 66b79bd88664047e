/**
 * Applies table definitions (tables.ts) to an account or DynamoDB Local: creates what is
 * missing, waits for ACTIVE, adds GSIs that were added to the definitions, enables TTL.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { DynamoOptions } from './client';

export interface EnsureTablesResult {
  created: string[];
  existing: string[];
  indexesAdded: string[];
  streamsEnabled: string[];
  ttlEnabled: string[];
}

function isNotFound(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ResourceNotFoundException';
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | null> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table ?? null;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Polls until the table (and, if named, that GSI) is ACTIVE. */
async function waitActive(client: DynamoDBClient, name: string, index?: string): Promise<TableDescription> {
  const deadline = Date.now() + 15 * 60_000;
  for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
    const table = await describe(client, name);
    const gsi = index ? table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === index) : undefined;
    if (table?.TableStatus === 'ACTIVE' && (!index || gsi?.IndexStatus === 'ACTIVE')) return table;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${name}${index ? `/${index}` : ''}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

const keyString = (k: { AttributeName?: string; KeyType?: string }[] | undefined) =>
  (k ?? []).map((e) => `${e.AttributeName}:${e.KeyType}`).join(',');

async function ensureTable(client: DynamoDBClient, def: CreateTableCommandInput, result: EnsureTablesResult) {
  const name = def.TableName!;
  if (!(await describe(client, name))) {
    try {
      await client.send(new CreateTableCommand(def));
      result.created.push(name);
    } catch (err) {
      // Another process created it between our DescribeTable and CreateTable.
      if ((err as { name?: string })?.name !== 'ResourceInUseException') throw err;
    }
  }
  let table = await waitActive(client, name);
  if (!result.created.includes(name)) result.existing.push(name);

  // A key schema or LSI cannot change in place: refuse clearly rather than fail later.
  if (keyString(table.KeySchema) !== keyString(def.KeySchema)) {
    throw new Error(`${name} has key ${keyString(table.KeySchema)}, expected ${keyString(def.KeySchema)}`);
  }
  for (const lsi of def.LocalSecondaryIndexes ?? []) {
    if (!table.LocalSecondaryIndexes?.some((l) => l.IndexName === lsi.IndexName)) {
      throw new Error(`${name} lacks local index ${lsi.IndexName}; it can only be added by recreating the table`);
    }
  }
  // A stream added to the definitions later (STREAMED_TABLES) is turned on in place.
  const stream = def.StreamSpecification;
  if (stream?.StreamEnabled && !table.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: stream }));
    table = await waitActive(client, name);
    result.streamsEnabled.push(name);
  }
  // GSIs added to the definitions later are created on existing tables, one at a time.
  for (const gsi of def.GlobalSecondaryIndexes ?? []) {
    if (table.GlobalSecondaryIndexes?.some((g) => g.IndexName === gsi.IndexName)) continue;
    const attrs = new Set(gsi.KeySchema!.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: def.AttributeDefinitions!.filter((a) => attrs.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: gsi }],
      }),
    );
    table = await waitActive(client, name, gsi.IndexName);
    result.indexesAdded.push(`${name}/${gsi.IndexName}`);
  }
}

async function ensureTtl(client: DynamoDBClient, name: string, attribute: string, result: EnsureTablesResult) {
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
  result.ttlEnabled.push(`${name}.${attribute}`);
}

export async function withClient<T>(opts: DynamoOptions, run: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const { endpoint, region, credentials } = opts;
  const client = new DynamoDBClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
  try {
    return await run(client);
  } finally {
    client.destroy();
  }
}

export async function ensureTableDefinitions(
  client: DynamoDBClient,
  tables: { definition: CreateTableCommandInput; ttlAttribute?: string }[],
): Promise<EnsureTablesResult> {
  const result: EnsureTablesResult = {
    created: [],
    existing: [],
    indexesAdded: [],
    streamsEnabled: [],
    ttlEnabled: [],
  };
  await Promise.all(
    tables.map(async ({ definition, ttlAttribute }) => {
      await ensureTable(client, definition, result);
      if (ttlAttribute) await ensureTtl(client, definition.TableName!, ttlAttribute, result);
    }),
  );
  return result;
}
