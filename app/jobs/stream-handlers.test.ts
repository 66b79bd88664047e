/**
 * The stream handlers of the DynamoDB tables, fed hand-written records shaped as DynamoDB
 * Streams delivers them to Lambda (DynamoDB JSON images, sequence numbers): an outbox entry's
 * INSERT is delivered once however often it arrives, a failure names its SequenceNumber, and
 * records of another shape are skipped, never retried.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { Notification, OutboxClaim, OutboxEntry } from '~/data/repository';
import type { LiveEvent } from '~/realtime/bus';
import { createOutboxRelay } from './outbox-relay';
import type { StreamHandler } from './outbox-runner.server';
import { createUsersStreamHandler } from './users-stream';

vi.mock('~/utils/log.server', () => ({ logError: vi.fn(), logInfo: vi.fn() }));

type Image = Record<string, unknown>;
let seq = 100;
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { new?: Image; old?: Image },
  table = 'classcast-notifications',
): DynamoDBRecord {
  const key = (images.new ?? images.old)!;
  const keyName = table.endsWith('users') ? 'userId' : 'notificationId';
  return {
    eventID: `ev-${seq}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/${table}/stream/2026-12-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: 1_764_547_200,
      Keys: marshall({ [keyName]: key[keyName] }) as never,
      ...(images.new ? { NewImage: marshall(images.new, { removeUndefinedValues: true }) as never } : {}),
      ...(images.old ? { OldImage: marshall(images.old, { removeUndefinedValues: true }) as never } : {}),
      SequenceNumber: String(seq++).padStart(21, '0'),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
const batch = (...Records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records });
const sequenceOf = (r: DynamoDBRecord) => r.dynamodb!.SequenceNumber!;

const entryItem = (id: string, notificationId: string) => ({
  notificationId: `OUTBOX#${id}`,
  entity: 'outbox',
  id,
  event: { topic: 'notification', notificationId, recipientId: 'owner-1' },
  attempts: 0,
  lastError: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  outboxDue: 'due',
  dueSort: `2026-12-01T10:00:00.000Z#${id}`,
});

const notification = (id: string): Notification => ({
  id,
  recipientId: 'owner-1',
  senderId: 'liker-1',
  senderName: 'Lee Liker',
  type: 'like',
  title: 'New like',
  message: 'Lee liked your video.',
  relatedId: 'video-1',
  relatedType: 'video',
  actionUrl: '/videos/video-1',
  isRead: false,
  createdAt: '2026-12-01T10:00:00.000Z',
  actorCount: 1,
});

/** An outbox in memory with the port's claim semantics: pending → leased → done. */
function fakeOutbox(ids: string[]) {
  const state = new Map(ids.map((id) => [id, 'pending' as 'pending' | 'leased' | 'done']));
  const calls: string[] = [];
  return {
    state,
    calls,
    async claim(id: string): Promise<OutboxClaim> {
      calls.push(`claim ${id}`);
      const s = state.get(id);
      if (s === 'pending') {
        state.set(id, 'leased');
        const entry: OutboxEntry = {
          id,
          event: { topic: 'notification', notificationId: `n-${id}`, recipientId: 'owner-1' },
          attempts: 0,
          createdAt: '2026-12-01T10:00:00.000Z',
          lastError: null,
        };
        return { status: 'claimed', entry };
      }
      return s === 'leased' ? { status: 'leased' } : { status: 'done' };
    },
    async complete(id: string) {
      calls.push(`complete ${id}`);
      state.set(id, 'done');
    },
    async fail(id: string, _error: string, retryInMs: number) {
      calls.push(`fail ${id} ${retryInMs}`);
      state.set(id, 'pending');
    },
  };
}

function relayWith(outbox: ReturnType<typeof fakeOutbox>, notificationHandler: StreamHandler) {
  return createOutboxRelay({
    outbox,
    rows: {
      notifications: { getById: async (id: string) => notification(id) },
      messages: { getById: async () => null },
    } as never,
    handlers: {
      notification: notificationHandler,
      message: async () => ({ batchItemFailures: [] }),
      ltiScore: async () => ({ batchItemFailures: [] }),
      mail: async () => ({ batchItemFailures: [] }),
    },
  });
}

describe('notifications stream: the outbox relay', () => {
  it('delivers an entry once, however many times its INSERT arrives', async () => {
    const outbox = fakeOutbox(['e1']);
    const delivered: string[] = [];
    const relay = relayWith(outbox, async (event) => {
      for (const r of event.Records) delivered.push(String(r.dynamodb!.NewImage!.notificationId!.S));
      return { batchItemFailures: [] };
    });
    const insert = record('INSERT', { new: entryItem('e1', 'n-e1') });
    expect(await relay(batch(insert, insert))).toEqual({ batchItemFailures: [] });
    expect(await relay(batch(insert))).toEqual({ batchItemFailures: [] });
    expect(delivered).toEqual(['n-e1']);
    expect(outbox.calls).toEqual(['claim e1', 'complete e1', 'claim e1', 'claim e1']);
  });

  it('names a failed record by its SequenceNumber, frees its entry at once, and handles the rest', async () => {
    const outbox = fakeOutbox(['ok1', 'bad', 'ok2']);
    const relay = relayWith(outbox, async (event) => {
      const id = String(event.Records[0]!.dynamodb!.NewImage!.notificationId!.S);
      return {
        batchItemFailures: id === 'n-bad' ? [{ itemIdentifier: event.Records[0]!.dynamodb!.SequenceNumber! }] : [],
      };
    });
    const [a, b, c] = [
      record('INSERT', { new: entryItem('ok1', 'n-ok1') }),
      record('INSERT', { new: entryItem('bad', 'n-bad') }),
      record('INSERT', { new: entryItem('ok2', 'n-ok2') }),
    ];
    expect(await relay(batch(a, b, c))).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOf(b) }] });
    expect(outbox.state).toEqual(
      new Map([
        ['ok1', 'done'],
        ['bad', 'pending'],
        ['ok2', 'done'],
      ]),
    );
    expect(outbox.calls).toContain('fail bad 0');
  });

  it('leaves an entry another worker holds (or one not due yet) to its holder or the sweep, never holding up the shard', async () => {
    const outbox = fakeOutbox(['held']);
    outbox.state.set('held', 'leased');
    const handler = vi.fn(async () => ({ batchItemFailures: [] }));
    const insert = record('INSERT', { new: entryItem('held', 'n-held') });
    expect(await relayWith(outbox, handler)(batch(insert))).toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
    expect(outbox.state.get('held')).toBe('leased');
  });

  it('leaves a topic this process cannot deliver (mail on a Lambda) due, without taking it', async () => {
    const outbox = fakeOutbox(['m1']);
    const mail = vi.fn(async () => ({ batchItemFailures: [] }));
    const relay = createOutboxRelay({
      outbox,
      rows: {} as never,
      handlers: {
        notification: async () => ({ batchItemFailures: [] }),
        message: async () => ({ batchItemFailures: [] }),
        ltiScore: async () => ({ batchItemFailures: [] }),
        mail,
      },
      elsewhere: ['mail'],
    });
    const mailEntry = {
      ...entryItem('m1', 'unused'),
      event: { topic: 'mail', mail: { kind: 'digest', userId: 'u-1', day: '2026-12-01' } },
    };
    expect(await relay(batch(record('INSERT', { new: mailEntry })))).toEqual({ batchItemFailures: [] });
    expect(mail).not.toHaveBeenCalled();
    expect(outbox.state.get('m1')).toBe('pending');
    expect(outbox.calls).toEqual([]);
  });

  it('skips notification items, later changes of entries and entries of another shape', async () => {
    const outbox = fakeOutbox([]);
    const handler = vi.fn(async () => ({ batchItemFailures: [] }));
    const relay = relayWith(outbox, handler);
    const { event: _event, ...noEvent } = entryItem('x', 'n-x');
    const response = await relay(
      batch(
        record('INSERT', { new: { notificationId: 'n-1', entity: 'notification', recipientId: 'owner-1' } }),
        record('MODIFY', { new: entryItem('m', 'n-m'), old: entryItem('m', 'n-m') }),
        record('REMOVE', { old: entryItem('r', 'n-r') }),
        record('INSERT', { new: noEvent }),
        record('INSERT', { new: { ...entryItem('y', 'n-y'), event: { topic: 'carrier-pigeon' } } }),
      ),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(outbox.calls).toEqual([]);
    expect(handler).not.toHaveBeenCalled();
  });
});

const session = (id: string, revoked: boolean) => ({
  userId: `AUTHSESSION#${id}`,
  entity: 'authSession',
  id,
  sessionUserId: 'user-1',
  generation: 0,
  revoked,
  expiresAt: '2026-12-31T00:00:00.000Z',
  createdAt: '2026-12-01T00:00:00.000Z',
  expiresAtEpoch: 1_798_761_600,
});

describe('users stream: sessions that end', () => {
  const usersRecord = (name: 'INSERT' | 'MODIFY' | 'REMOVE', images: { new?: Image; old?: Image }) =>
    record(name, images, 'classcast-users');

  it('publishes session-ended for a revocation and for a live session removed (TTL), nothing else', async () => {
    const events: LiveEvent[] = [];
    const handler = createUsersStreamHandler({ bus: { publish: async (e) => void events.push(e) } });
    const response = await handler(
      batch(
        usersRecord('INSERT', { new: session('s1', false) }),
        usersRecord('MODIFY', { old: session('s1', false), new: { ...session('s1', false), generation: 1 } }),
        usersRecord('MODIFY', { old: session('s1', false), new: session('s1', true) }),
        usersRecord('MODIFY', { old: session('s1', true), new: session('s1', true) }),
        usersRecord('REMOVE', { old: session('s1', true) }),
        usersRecord('REMOVE', { old: session('s2', false) }),
        usersRecord('MODIFY', {
          old: { userId: 'user-1', entity: 'user' },
          new: { userId: 'user-1', entity: 'user', firstName: 'X' },
        }),
      ),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(events).toEqual([
      { type: 'session-ended', userId: 'user-1', sessionId: 's1' },
      { type: 'session-ended', userId: 'user-1', sessionId: 's2' },
    ]);
  });

  it('names a record whose publish failed, and skips a session image of another shape', async () => {
    const handler = createUsersStreamHandler({
      bus: {
        publish: async () => {
          throw new Error('bus down');
        },
      },
    });
    const failing = usersRecord('REMOVE', { old: session('s3', false) });
    const odd = usersRecord('REMOVE', { old: { userId: 'AUTHSESSION#s4', entity: 'authSession' } });
    expect(await handler(batch(odd, failing))).toEqual({
      batchItemFailures: [{ itemIdentifier: sequenceOf(failing) }],
    });
  });
});
