/**
 * Messages, notifications and the outbox on DynamoDB, through an instrumented client: each
 * test proves the result AND how it was read or written (one transaction per send, COUNT
 * queries on the sparse unread index, a lease per claimed entry), and the races the contract
 * cannot stage: a message landing between markThreadRead's query and its transaction.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../../tools/dynamodb-local';
import { assertNoScan, operationLog } from '../../../tests/dynamo-operations';
import { notificationFor } from '../contract/builders';
import { collapsedNotificationId } from '../ids';
import { conversationIdFor, type Repositories, type User } from '../repository';
import { createContext, type DynamoContext, type DynamoOptions } from './client';
import { createDynamoRepositories, ensureTables } from './index';
import { conversationSummaryKey, messageKey, notificationKey } from './keys';
import { createMessagesRepository } from './messages';

let local: DynamoDbLocal | null = null;
let opts: DynamoOptions;
let repos: Repositories;
let raw: DynamoContext;
const sentToDynamo = operationLog();

beforeAll(async () => {
  local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const prefix = `classcast-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
  opts = { endpoint, region: 'us-east-1', tablePrefix: prefix, credentials: LOCAL_CREDENTIALS };
  const admin = sentToDynamo.watch(new DynamoDBClient(opts));
  await ensureTables(admin, prefix);
  admin.destroy();
  repos = createDynamoRepositories({ ...opts, onCommand: sentToDynamo.record });
  raw = createContext({ ...opts, onCommand: sentToDynamo.record });
});

afterAll(async () => {
  assertNoScan(sentToDynamo.byName(), 'dynamo.messaging.test.ts', 100);
  await repos?.close();
  raw?.doc.destroy();
  await local?.stop();
});

const sent = <T>(run: () => Promise<T>) => sentToDynamo.during(run);

let n = 0;
const aUser = (): Promise<User> =>
  repos.users.create({
    email: `m${Date.now()}${n++}@example.test`,
    firstName: 'M',
    lastName: 'L',
    role: 'student',
    passwordHash: null,
  });
const pair = async () => [await aUser(), await aUser()] as const;
const send = (from: User, to: User, content = 'hi') =>
  repos.messages.send({ fromUserId: from.id, toUserId: to.id, content }, null);
const rawItem = async (table: string, key: Record<string, unknown>) =>
  (await raw.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

describe('dynamodb messages', () => {
  it('a send is ONE TransactWriteItems; the item keeps the original attribute names', async () => {
    const [ann, ben] = await pair();
    const { result: message, names } = await sent(() =>
      repos.messages.send(
        { fromUserId: ann.id, toUserId: ben.id, content: 'hello' },
        notificationFor(ben, ann, 'message'),
      ),
    );
    expect(names).toEqual(['TransactWriteItemsCommand']);
    const item = await rawItem(raw.tables.messages, messageKey(message.id));
    expect(item).toMatchObject({
      id: message.id,
      entity: 'message',
      conversationId: message.conversationId,
      fromUserId: ann.id,
      toUserId: ben.id,
      content: 'hello',
      timestamp: message.createdAt,
      read: false,
    });
    expect(item).not.toHaveProperty('createdAt');
    // The summaries live in the same table under their own prefix, never in the thread index.
    const summary = await rawItem(raw.tables.messages, conversationSummaryKey(ben.id, message.conversationId));
    expect(summary).toMatchObject({ entity: 'conversation', summaryOwnerId: ben.id, unreadCount: 1 });
    expect(summary).not.toHaveProperty('sentSort');
  });

  it('an unknown recipient writes nothing and is not found', async () => {
    const [ann] = await pair();
    await expect(send(ann, { ...ann, id: '01ARZ3NDEKTSV4RRFFQ69G5FC9' })).rejects.toMatchObject({
      name: 'DataNotFoundError',
    });
    expect((await repos.messages.listConversations(ann.id)).items).toEqual([]);
  });

  it('a message to oneself is refused before any write', async () => {
    const [ann] = await pair();
    const { names } = await sent(() => expect(send(ann, ann)).rejects.toBeInstanceOf(RangeError));
    expect(names).toEqual([]);
  });

  it('a message landing between markThreadRead’s query and its transaction stays unread and counted', async () => {
    const [ann, ben] = await pair();
    await send(ann, ben, 'one');
    await send(ann, ben, 'two');
    // A second adapter whose transactions wait until ann's next message has committed.
    const gated = createContext({ ...opts, onCommand: sentToDynamo.record });
    let late: Promise<unknown> | null = null;
    gated.base.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && !late) {
          late = send(ann, ben, 'late');
          await late;
        }
        return next(args);
      },
      { step: 'initialize', name: 'landLateMessage' },
    );
    try {
      const conversationId = conversationIdFor(ann.id, ben.id);
      expect(await createMessagesRepository(gated).markThreadRead(conversationId, ben.id)).toBe(2);
      expect(late).not.toBeNull();
      const thread = (await repos.messages.listThread(conversationId)).items;
      expect(thread.map((m) => [m.content, m.read])).toEqual([
        ['late', false],
        ['two', true],
        ['one', true],
      ]);
      const summary = (await repos.messages.listConversations(ben.id)).items[0];
      expect(summary?.unreadCount).toBe(1);
      expect(await repos.messages.countUnread(ben.id)).toBe(1);
    } finally {
      gated.doc.destroy();
    }
  });

  it('two readers of one thread at once mark each message once; counts end exact', async () => {
    const [ann, ben] = await pair();
    for (let i = 0; i < 7; i++) await send(ann, ben, `m${i}`);
    const conversationId = conversationIdFor(ann.id, ben.id);
    const counts = await Promise.all([
      repos.messages.markThreadRead(conversationId, ben.id),
      repos.messages.markThreadRead(conversationId, ben.id),
      send(ann, ben, 'during'),
    ]);
    const unreadLeft = (await repos.messages.listThread(conversationId, { limit: 100 })).items.filter(
      (m) => !m.read,
    ).length;
    expect(counts[0] + counts[1] + unreadLeft).toBe(8);
    expect(await repos.messages.countUnread(ben.id)).toBe(unreadLeft);
  });

  it('marks more unread than one transaction holds, in transactions of at most 100 items', async () => {
    const [ann, ben] = await pair();
    for (let i = 0; i < 130; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => send(ann, ben, `bulk ${i + j}`)));
    }
    const conversationId = conversationIdFor(ann.id, ben.id);
    const { result, names } = await sent(() => repos.messages.markThreadRead(conversationId, ben.id));
    expect(result).toBe(130);
    expect(names.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(2);
    expect(await repos.messages.countUnread(ben.id)).toBe(0);
  });
});

describe('dynamodb notifications', () => {
  it('counts unread with one COUNT query on the sparse unread index', async () => {
    const [to, from] = await pair();
    const written = await repos.notifications.createMany([
      notificationFor(to, from, 'announcement'),
      notificationFor(to, from, 'announcement'),
    ]);
    const { result, names } = await sent(() => repos.notifications.countUnread(to.id));
    expect(result).toBe(2);
    expect(names).toEqual(['QueryCommand']);
    await repos.notifications.markRead(written[0]!.id);
    const item = await rawItem(raw.tables.notifications, notificationKey(written[0]!.id));
    expect(item).toMatchObject({ isRead: true });
    expect(item).not.toHaveProperty('unreadRecipientId');
  });

  it('createMany naming an unknown person writes nothing (checked in one batch read first)', async () => {
    const [to, from] = await pair();
    const stranger = { ...to, id: '01ARZ3NDEKTSV4RRFFQ69G5FC8' };
    const input = [
      ...Array.from({ length: 60 }, () => notificationFor(to, from, 'announcement')),
      notificationFor(stranger, from, 'announcement'),
    ];
    const { names } = await sent(() =>
      expect(repos.notifications.createMany(input)).rejects.toMatchObject({ name: 'DataNotFoundError' }),
    );
    expect(names).toEqual(['BatchGetItemCommand']);
    expect(await repos.notifications.countUnread(to.id)).toBe(0);
  });

  it('a collapsed row keeps the first time and the distinct senders as a set', async () => {
    const [to, ana] = await pair();
    const ben = await aUser();
    const key = `like:video:${to.id}`;
    const [first] = await repos.notifications.createMany([{ ...notificationFor(to, ana, 'like'), collapseKey: key }]);
    await new Promise((r) => setTimeout(r, 3));
    await repos.notifications.createMany([{ ...notificationFor(to, ben, 'like'), collapseKey: key }]);
    const item = await rawItem(raw.tables.notifications, notificationKey(collapsedNotificationId(to.id, key)));
    expect(item?.firstCreatedAt).toBe(first!.createdAt);
    expect(item?.createdAt > first!.createdAt).toBe(true);
    expect(item?.actorIds).toEqual(new Set([ana.id, ben.id]));
    expect(item?.unreadRecipientId).toBe(to.id);
  });

  it('outbox items are not notifications, whatever id is asked for', async () => {
    const [to, from] = await pair();
    await repos.notifications.createMany([notificationFor(to, from, 'announcement')]);
    const claimed = await repos.outbox.claimDue(100, 60_000);
    const entry = claimed[0];
    expect(entry).toBeDefined();
    expect(await repos.notifications.getById(`OUTBOX#${entry!.id}`)).toBeNull();
    expect(await repos.notifications.getById(entry!.id)).toBeNull();
    for (const e of claimed) await repos.outbox.complete(e.id);
  });
});

describe('dynamodb outbox', () => {
  it('claims with one Query on the due index plus one conditional UpdateItem per entry', async () => {
    // Drain what earlier tests left, so the counts below are ours.
    for (let round = 0; round < 50; round++) {
      const batch = await repos.outbox.claimDue(100, 60_000);
      if (batch.length === 0) break;
      for (const e of batch) await repos.outbox.complete(e.id);
    }
    const [to, from] = await pair();
    await repos.notifications.createMany([
      notificationFor(to, from, 'announcement'),
      notificationFor(to, from, 'announcement'),
      notificationFor(to, from, 'announcement'),
    ]);
    const { result, names } = await sent(() => repos.outbox.claimDue(10, 60_000));
    expect(result).toHaveLength(3);
    expect(names).toEqual(['QueryCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    expect(await repos.outbox.countPending()).toBe(3);
    for (const e of result) await repos.outbox.complete(e.id);
    expect(await repos.outbox.countPending()).toBe(0);
  });

  it('failing a completed entry does not bring it back', async () => {
    const [to, from] = await pair();
    await repos.notifications.createMany([notificationFor(to, from, 'announcement')]);
    const claimed = await repos.outbox.claimDue(100, 60_000);
    for (const e of claimed) await repos.outbox.complete(e.id);
    await repos.outbox.fail(claimed[0]!.id, 'late failure', 0);
    expect(await repos.outbox.claimDue(100, 60_000)).toEqual([]);
    expect(await repos.outbox.countPending()).toBe(0);
  });

  it('a listener that throws does not fail the committed write', async () => {
    const [to, from] = await pair();
    const unsubscribe = repos.outbox.onWrite(() => {
      throw new Error('listener broke');
    });
    try {
      const [written] = await repos.notifications.createMany([notificationFor(to, from, 'announcement')]);
      expect(await repos.notifications.getById(written!.id)).toEqual(written);
    } finally {
      unsubscribe();
    }
  });
});
