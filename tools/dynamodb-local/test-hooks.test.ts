import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestInstance, tableInput, type TestInstance } from './test-support';

let instance: TestInstance | null = null;
afterEach(async () => {
  await instance?.stop();
  instance = null;
});

const getItem = (pk: string) => new GetItemCommand({ TableName: 'things', Key: { pk: { S: pk } } });

describe('stand-in test hooks', () => {
  it('counts every operation it receives', async () => {
    instance = await startTestInstance();
    const { client, local } = instance;
    await client.send(new CreateTableCommand(tableInput('things')));
    await client.send(new ListTablesCommand({}));
    await client.send(getItem('a'));
    await client.send(getItem('b'));
    expect(local.testHooks.operations()).toEqual({ CreateTable: 1, ListTables: 1, GetItem: 2 });
  });

  it('throttles the next N matching requests, then lets them through', async () => {
    instance = await startTestInstance();
    const { client, local } = instance;
    await client.send(new CreateTableCommand(tableInput('things')));
    local.testHooks.throttle({ operation: 'GetItem', times: 2, bodyContains: '"mine"' });
    await expect(client.send(getItem('mine'))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    // Someone else's request is not throttled, and does not use the rule up.
    await expect(client.send(getItem('theirs'))).resolves.toBeDefined();
    await expect(client.send(getItem('mine'))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await expect(client.send(getItem('mine'))).resolves.toBeDefined();
    expect(local.testHooks.operations().GetItem).toBe(4);
  });

  it('answers each kind of throttle as DynamoDB does, a transaction with one reason per item', async () => {
    instance = await startTestInstance();
    const { client, local } = instance;
    await client.send(new CreateTableCommand(tableInput('things')));
    for (const kind of ['ThrottlingException', 'RequestLimitExceeded'] as const) {
      local.testHooks.throttle({ operation: 'GetItem', times: 1, kind });
      await expect(client.send(getItem('a'))).rejects.toMatchObject({ name: kind });
    }
    local.testHooks.throttle({ operation: 'TransactWriteItems', times: 1, kind: 'TransactionThrottled' });
    const put = (pk: string) => ({ Put: { TableName: 'things', Item: { pk: { S: pk } } } });
    await expect(
      client.send(new TransactWriteItemsCommand({ TransactItems: [put('x'), put('y')] })),
    ).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'ThrottlingError' }],
    });
    // Nothing of the throttled transaction was written.
    expect((await client.send(getItem('x'))).Item).toBeUndefined();
  });

  it('serves the hooks over HTTP only when started with testHooks', async () => {
    instance = await startTestInstance();
    await instance.client.send(new ListTablesCommand({}));
    // Without the option the path is just another request for dynalite (its health answer).
    const closed = await fetch(`${instance.local.endpoint}/__stand-in/operations`);
    expect(await closed.text()).not.toContain('ListTables');
    const armClosed = await fetch(`${instance.local.endpoint}/__stand-in/throttles`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'ListTables', times: 5 }),
    });
    expect(armClosed.status).not.toBe(204);
    await expect(instance.client.send(new ListTablesCommand({}))).resolves.toBeDefined();
    await instance.stop();

    instance = await startTestInstance({ testHooks: true });
    const { endpoint } = instance.local;
    await instance.client.send(new ListTablesCommand({}));
    expect(await (await fetch(`${endpoint}/__stand-in/operations`)).json()).toEqual({ ListTables: 1 });
    const arm = (body: unknown) =>
      fetch(`${endpoint}/__stand-in/throttles`, { method: 'POST', body: JSON.stringify(body) });
    expect((await arm({ operation: 'Scan; drop', times: 1 })).status).toBe(400);
    expect((await arm({ operation: 'ListTables', times: 0 })).status).toBe(400);
    expect((await arm({ operation: 'ListTables', times: 1, kind: 'Nope' })).status).toBe(400);
    expect((await arm({ operation: 'ListTables', times: 5 })).status).toBe(204);
    await expect(instance.client.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect((await fetch(`${endpoint}/__stand-in/throttles`, { method: 'DELETE' })).status).toBe(204);
    await expect(instance.client.send(new ListTablesCommand({}))).resolves.toBeDefined();
  });
});
