/**
 * classcast-notifications stream → the outbox entries written there (docs/decisions/
 * 020-stream-jobs.md). Every notification and every message commits an outbox entry into
 * classcast-notifications in its own transaction, so this table's stream carries each such
 * event exactly when it commits, durably (a grade's `ltiScore` entry too). Per entry: take it
 * under the outbox lease (the same one the outbox runner takes, so the two never both
 * deliver), build the record of its row as it is now, hand it to that table's handler
 * (notifications-stream.ts / messages-stream.ts / lti-score-stream.ts), and complete it. A
 * record delivered again finds its entry done and has no effect.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { OutboxEntry, OutboxRepository, Repositories } from '~/data/repository';
import { mailEventSchema } from './mail-stream';
import { outboxRecord } from './outbox-records';
import { outboxHandlerFor, type OutboxHandlers } from './outbox-runner.server';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage } from './stream-images';

export interface OutboxRelayDeps {
  outbox: Pick<OutboxRepository, 'claim' | 'complete' | 'fail'>;
  rows: Pick<Repositories, 'notifications' | 'messages' | 'submissions'>;
  handlers: OutboxHandlers;
  /** Longer than one delivery ever takes; a crashed worker's entry is free again after it. */
  leaseMs?: number;
}

const HANDLER = 'outbox-relay';
const DEFAULT_LEASE_MS = 30_000;

/** An outbox entry item as the DynamoDB adapter stores it (app/data/dynamo/outbox.ts). */
const entryImage = z.object({
  entity: z.literal('outbox'),
  id: z.string().min(1),
  createdAt: z.string().min(1),
  event: z.discriminatedUnion('topic', [
    z.object({ topic: z.literal('notification'), notificationId: z.string().min(1), recipientId: z.string() }),
    z.object({
      topic: z.literal('message'),
      messageId: z.string().min(1),
      conversationId: z.string(),
      fromUserId: z.string(),
      toUserId: z.string(),
    }),
    z.object({ topic: z.literal('ltiScore'), submissionId: z.string().min(1) }),
    z.object({ topic: z.literal('mail'), mail: mailEventSchema }),
  ]),
});

const isOutboxItem = z.object({ entity: z.literal('outbox') });

export class OutboxEntryLeasedError extends Error {
  constructor(id: string) {
    super(`outbox entry ${id} is leased by another worker; retry after its lease`);
    this.name = 'OutboxEntryLeasedError';
  }
}

export function createOutboxRelay(deps: OutboxRelayDeps) {
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;

  async function deliver(entry: OutboxEntry) {
    const record = await outboxRecord(deps.rows, entry);
    // Its row was deleted since: nothing left to tell anyone.
    if (!record) return;
    const response = await outboxHandlerFor(deps.handlers, entry.event.topic)({ Records: [record] });
    if (response.batchItemFailures.length > 0) throw new Error(`the ${entry.event.topic} handler failed the record`);
  }

  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    handleEachRecord(HANDLER, event, async (record) => {
      // An entry is written once; its later changes (leases, retries, completion) are ours.
      if (record.eventName !== 'INSERT') return 'skipped';
      // Notification items stream here too: they reach the bell through their entry.
      if (!readNewImage(record, isOutboxItem).ok) return 'skipped';
      const read = readNewImage(record, entryImage);
      if (!read.ok) return skipUnreadable(HANDLER, record, read.reason);
      const claim = await deps.outbox.claim(read.image.id, leaseMs);
      if (claim.status === 'done') return 'skipped';
      // Someone holds it (the runner, or this record's first delivery still running): named
      // as failed, so it is retried and finds the entry done, or free once that lease ends.
      if (claim.status === 'leased') throw new OutboxEntryLeasedError(read.image.id);
      try {
        await deliver(claim.entry);
      } catch (error) {
        // Due again at once: the retry of this record (or the runner's poll) can take it.
        await deps.outbox.fail(claim.entry.id, (error as Error).message.slice(0, 1000), 0);
        throw error;
      }
      await deps.outbox.complete(claim.entry.id);
      return 'done';
    });
}
