import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, rejection, startTestInstance, type TestInstance } from './test-support';

let t: TestInstance;
beforeAll(async () => {
  t = await startTestInstance();
  await createTable(t.client, 'accounts');
  await createTable(t.client, 'ledger');
});
afterAll(() => t?.stop());

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });
const get = async (table: string, pk: string) =>
  (await t.client.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) }, ConsistentRead: true }))).Item;
const put = (table: string, item: Record<string, { S: string } | { N: string }>) =>
  t.client.send(new PutItemCommand({ TableName: table, Item: item }));
const write = (TransactItems: TransactWriteItem[], ClientRequestToken?: string) =>
  t.client.send(new TransactWriteItemsCommand({ TransactItems, ClientRequestToken }));
const byOwner = async (table: string, owner: string) =>
  (
    await t.client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byOwner',
        KeyConditionExpression: '#o = :o',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':o': S(owner) },
      }),
    )
  ).Items!.map((i) => i.pk.S);

const addOne = (
  table: string,
  pk: string,
  extra: Partial<NonNullable<TransactWriteItem['Update']>> = {},
): TransactWriteItem => ({
  Update: {
    TableName: table,
    Key: { pk: S(pk) },
    UpdateExpression: 'ADD n :one',
    ExpressionAttributeValues: { ':one': N(1) },
    ...extra,
  },
});

describe('TransactWriteItems', () => {
  it('applies Put, Update and Delete across tables together, and keeps the GSIs in step', async () => {
    await put('accounts', { pk: S('a1'), owner: S('ann'), n: N(5) });
    await put('ledger', { pk: S('l-old'), owner: S('ann') });
    await put('accounts', { pk: S('a2'), n: N(5) });
    await write([
      {
        Put: {
          TableName: 'ledger',
          Item: { pk: S('l1'), owner: S('ann') },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: 'accounts',
          Key: { pk: S('a1') },
          UpdateExpression: 'SET #o = :bob ADD n :one',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':bob': S('bob'), ':one': N(1) },
        },
      },
      { Delete: { TableName: 'ledger', Key: { pk: S('l-old') }, ConditionExpression: 'attribute_exists(pk)' } },
      {
        ConditionCheck: {
          TableName: 'accounts',
          Key: { pk: S('a2') },
          ConditionExpression: 'n = :five',
          ExpressionAttributeValues: { ':five': N(5) },
        },
      },
    ]);
    expect(await get('accounts', 'a1')).toEqual({ pk: S('a1'), owner: S('bob'), n: N(6) });
    expect(await get('ledger', 'l1')).toEqual({ pk: S('l1'), owner: S('ann') });
    expect(await get('ledger', 'l-old')).toBeUndefined();
    expect(await byOwner('accounts', 'ann')).toEqual([]);
    expect(await byOwner('accounts', 'bob')).toEqual(['a1']);
    expect(await byOwner('ledger', 'ann')).toEqual(['l1']);
  });

  it('cancels everything when one condition fails, with reasons in item order', async () => {
    await put('accounts', { pk: S('c1'), n: N(1) });
    await put('accounts', { pk: S('c2'), n: N(1), owner: S('cat') });
    const err = await rejection(
      write([
        addOne('accounts', 'c1'),
        { Put: { TableName: 'ledger', Item: { pk: S('c-new') } } },
        {
          ConditionCheck: {
            TableName: 'accounts',
            Key: { pk: S('c2') },
            ConditionExpression: 'n > :one',
            ExpressionAttributeValues: { ':one': N(1) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Delete: {
            TableName: 'accounts',
            Key: { pk: S('c-missing') },
            ConditionExpression: 'attribute_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        addOne('accounts', 'c-fresh', { ConditionExpression: 'attribute_exists(pk)' }),
      ]),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.message).toMatch(
      /\[None, None, ConditionalCheckFailed, ConditionalCheckFailed, ConditionalCheckFailed\]/,
    );
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: S('c2'), n: N(1), owner: S('cat') },
      },
      // ALL_OLD of an item that does not exist: no Item.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await get('accounts', 'c1')).toEqual({ pk: S('c1'), n: N(1) });
    expect(await get('ledger', 'c-new')).toBeUndefined();
    expect(await get('accounts', 'c-fresh')).toBeUndefined();
  });

  it('returns no Item for a failed condition unless ALL_OLD is asked for', async () => {
    await put('accounts', { pk: S('r1'), n: N(1) });
    const err = await rejection(
      write([
        {
          Put: {
            TableName: 'accounts',
            Item: { pk: S('r1') },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'NONE',
          },
        },
      ]),
    );
    expect(err.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
  });

  it('cancels with ValidationError when an update cannot apply, writing nothing', async () => {
    await put('accounts', { pk: S('v1'), n: S('not a number') });
    await put('accounts', { pk: S('v2'), n: N(1) });
    const err = await rejection(write([addOne('accounts', 'v2'), addOne('accounts', 'v1')]));
    expect(err.name).toBe('TransactionCanceledException');
    expect((err.CancellationReasons as { Code: string }[]).map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    expect(await get('accounts', 'v2')).toEqual({ pk: S('v2'), n: N(1) });
  });

  it('refuses two operations on one item, more than 100 items, an empty list and unknown tables', async () => {
    const twice = await rejection(
      write([addOne('accounts', 'd1'), { Delete: { TableName: 'accounts', Key: { pk: S('d1') } } }]),
    );
    expect(twice.name).toBe('ValidationException');
    expect(twice.message).toMatch(/multiple operations on one item/);

    const many = Array.from({ length: 101 }, (_, i) => addOne('accounts', `many-${i}`));
    expect((await rejection(write(many))).name).toBe('ValidationException');
    expect(await get('accounts', 'many-0')).toBeUndefined();
    await write(many.slice(0, 100));
    expect(await get('accounts', 'many-99')).toEqual({ pk: S('many-99'), n: N(1) });

    expect((await rejection(write([]))).name).toBe('ValidationException');
    expect((await rejection(write([addOne('no-such-table', 'x')]))).name).toBe('ResourceNotFoundException');
    const both = await rejection(
      write([{ ...addOne('accounts', 'x'), Delete: { TableName: 'accounts', Key: { pk: S('x') } } }]),
    );
    expect(both.name).toBe('ValidationException');
    const badExpression = await rejection(write([addOne('accounts', 'x', { UpdateExpression: 'ADD' })]));
    expect(badExpression.name).toBe('ValidationException');
  });

  it('applies a ClientRequestToken once, and refuses the token with different items', async () => {
    await write([addOne('accounts', 'idem')], 'token-1');
    await write([addOne('accounts', 'idem')], 'token-1');
    expect(await get('accounts', 'idem')).toEqual({ pk: S('idem'), n: N(1) });
    const mismatch = await rejection(write([addOne('accounts', 'other')], 'token-1'));
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    await write([addOne('accounts', 'idem')], 'token-2');
    expect(await get('accounts', 'idem')).toEqual({ pk: S('idem'), n: N(2) });
  });

  it('100 concurrent transactions on one counter item end at exactly 100', async () => {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        write([
          addOne('accounts', 'counter'),
          {
            Put: {
              TableName: 'ledger',
              Item: { pk: S(`entry-${i}`) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]),
      ),
    );
    expect(await get('accounts', 'counter')).toEqual({ pk: S('counter'), n: N(100) });
    expect(await get('ledger', 'entry-99')).toEqual({ pk: S('entry-99') });
  });

  it('single-item writes racing transactions on the same item never interleave', async () => {
    await put('accounts', { pk: S('raced'), n: N(0) });
    const viaTransactions = Array.from({ length: 50 }, () =>
      write([addOne('accounts', 'raced'), addOne('ledger', 'raced-side')]),
    );
    const viaUpdateItem = Array.from({ length: 50 }, () =>
      t.client.send(
        new UpdateItemCommand({
          TableName: 'accounts',
          Key: { pk: S('raced') },
          UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: { ':one': N(1) },
        }),
      ),
    );
    await Promise.all([...viaTransactions, ...viaUpdateItem]);
    expect(await get('accounts', 'raced')).toEqual({ pk: S('raced'), n: N(100) });
    expect(await get('ledger', 'raced-side')).toEqual({ pk: S('raced-side'), n: N(50) });
  });

  it('transactions that take the same items in opposite orders all finish (no deadlock)', async () => {
    const forward = () => write([addOne('accounts', 'p'), addOne('ledger', 'q'), addOne('accounts', 'r')]);
    const backward = () => write([addOne('accounts', 'r'), addOne('ledger', 'q'), addOne('accounts', 'p')]);
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? forward() : backward())));
    expect(await get('accounts', 'p')).toEqual({ pk: S('p'), n: N(40) });
    expect(await get('ledger', 'q')).toEqual({ pk: S('q'), n: N(40) });
  }, 20_000);
});

describe('TransactGetItems', () => {
  it('returns the items in request order, with a projection, and {} for a missing item', async () => {
    await put('accounts', { pk: S('g1'), owner: S('gil'), n: N(3) });
    await put('ledger', { pk: S('g2'), owner: S('gus') });
    const { Responses } = await t.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'ledger', Key: { pk: S('g2') } } },
          { Get: { TableName: 'accounts', Key: { pk: S('missing') } } },
          { Get: { TableName: 'accounts', Key: { pk: S('g1') }, ProjectionExpression: 'n' } },
        ],
      }),
    );
    expect(Responses).toEqual([{ Item: { pk: S('g2'), owner: S('gus') } }, {}, { Item: { n: N(3) } }]);
  });

  it('refuses the same item twice and unknown tables', async () => {
    const Get = { TableName: 'accounts', Key: { pk: S('g1') } };
    expect(
      (await rejection(t.client.send(new TransactGetItemsCommand({ TransactItems: [{ Get }, { Get }] })))).name,
    ).toBe('ValidationException');
    const unknown = { Get: { TableName: 'nope-table', Key: { pk: S('g1') } } };
    expect((await rejection(t.client.send(new TransactGetItemsCommand({ TransactItems: [unknown] })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});
