/**
 * A 'mail' outbox entry on the DynamoDB path: its INSERT in classcast-notifications reaches the
 * relay, which claims it and hands the entry's own record to the mail handler; a refused send
 * is named as failed and the entry is due again; a record delivered again sends nothing.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { MailEvent, OutboxClaim, OutboxEntry } from '~/data/repository';
import { createMailHandler, mailNotConfigured } from './mail-stream';
import { outboxRecord } from './outbox-records';
import { createOutboxRelay } from './outbox-relay';

vi.mock('~/utils/log.server', () => ({ logError: vi.fn(), logInfo: vi.fn() }));

const MAIL: MailEvent = { kind: 'password-reset', userId: 'u1', tokenId: 't1' };

function entryRecord(id: string): DynamoDBRecord {
  const item = {
    notificationId: `OUTBOX#${id}`,
    entity: 'outbox',
    id,
    event: { topic: 'mail', mail: MAIL },
    attempts: 0,
    lastError: null,
    createdAt: '2026-12-01T10:00:00.000Z',
  };
  return {
    eventID: `ev-${id}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ notificationId: item.notificationId }) as never,
      NewImage: marshall(item) as never,
      SequenceNumber: `000${id}`,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

function fakeOutbox() {
  const state = new Map<string, 'pending' | 'leased' | 'done'>();
  return {
    state,
    async claim(id: string): Promise<OutboxClaim> {
      const s = state.get(id) ?? 'pending';
      if (s === 'pending') {
        state.set(id, 'leased');
        const entry: OutboxEntry = {
          id,
          event: { topic: 'mail', mail: MAIL },
          attempts: 0,
          createdAt: '2026-12-01T10:00:00.000Z',
          lastError: null,
        };
        return { status: 'claimed', entry };
      }
      return s === 'leased' ? { status: 'leased' } : { status: 'done' };
    },
    async complete(id: string) {
      state.set(id, 'done');
    },
    async fail(id: string) {
      state.set(id, 'pending');
    },
  };
}

const none = async () => ({ batchItemFailures: [] });

function relay(outbox: ReturnType<typeof fakeOutbox>, send: (id: string, mail: MailEvent) => Promise<void>) {
  return createOutboxRelay({
    outbox,
    rows: {} as never,
    handlers: { notification: none, message: none, ltiScore: none, mail: createMailHandler(send) },
  });
}

describe('mail entries on the stream', () => {
  it('sends once per entry, however often its record arrives', async () => {
    const outbox = fakeOutbox();
    const sent: Array<[string, MailEvent]> = [];
    const handler = relay(outbox, async (id, mail) => void sent.push([id, mail]));
    const record = entryRecord('1');
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([['1', MAIL]]);
    expect(outbox.state.get('1')).toBe('done');
  });

  it('a refused send fails the record and leaves the entry due', async () => {
    const outbox = fakeOutbox();
    const handler = relay(outbox, () => Promise.reject(new Error('451 try later')));
    const record = entryRecord('2');
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: '0002' }] });
    expect(outbox.state.get('2')).toBe('pending');
  });

  it('a process without a transport keeps mail queued', async () => {
    const outbox = fakeOutbox();
    const handler = relay(outbox, mailNotConfigured);
    expect((await handler({ Records: [entryRecord('3')] })).batchItemFailures).toHaveLength(1);
    expect(outbox.state.get('3')).toBe('pending');
  });

  it('the runner builds the same record from the entry alone', async () => {
    const entry: OutboxEntry = {
      id: 'e9',
      event: { topic: 'mail', mail: MAIL },
      attempts: 0,
      createdAt: '2026-12-01T10:00:00.000Z',
      lastError: null,
    };
    const record = await outboxRecord({} as never, entry);
    const sent: string[] = [];
    await createMailHandler(async (id) => void sent.push(id))({ Records: [record!] });
    expect(sent).toEqual(['e9']);
    expect(record!.eventSourceARN).toContain('table/classcast-notifications/');
  });
});
