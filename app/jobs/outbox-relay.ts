/**
 * classcast-notifications stream → the outbox entries written there (docs/decisions/
 * 020-stream-jobs.md). Every notification and every message commits an outbox entry into
 * classcast-notifications in its own transaction, so this table's stream carries each such
 * event exactly when it commits, durably (a grade's `ltiScore` entry too). Per entry: take it
 * under the outbox lease (the same one the outbox runner takes, so the two never both
 * deliver), build the record of its row as it is now, hand it to that table's handler
 * (notifications-stream.ts / messages-stream.ts / lti-score-stream.ts), and complete it. A
 * record delivered again finds its entry done and has no effect.
 *
 * An entry it cannot take now is left to the outbox sweep that runs beside every stream
 * consumer (jobs/index.server.ts): one leased by another worker (which completes it, or whose
 * lease runs out), one not due yet (a digest at the end of its day), one of a topic this
 * process cannot deliver. Failing such a record instead would hold up the whole shard: a
 * stream retries a failed record, and everything after it, until it succeeds.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { OutboxEntry, OutboxRepository, Repositories } from '~/data/repository';
import { mailEventSchema } from './mail-stream';
import { outboxRecord } from './outbox-records';
import type { StreamHandler } from './outbox-runner.server';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage } from './stream-images';
import type { StreamTopic } from './stream-tables';

export interface OutboxRelayDeps {
  outbox: Pick<OutboxRepository, 'claim' | 'complete' | 'fail'>;
  rows: Pick<Repositories, 'notifications' | 'messages' | 'submissions'>;
  handlers: Record<StreamTopic, StreamHandler>;
  /** Longer than one delivery ever takes; a crashed worker's entry is free again after it. */
  leaseMs?: number;
  /**
   * Topics this process cannot deliver (a Lambda without a mail transport): their entries are
   * left due for the outbox sweep of a process that can (jobs/index.server.ts).
   */
  elsewhere?: readonly StreamTopic[];
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

export function createOutboxRelay(deps: OutboxRelayDeps) {
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;

  async function deliver(entry: OutboxEntry) {
    const record = await outboxRecord(deps.rows, entry);
    // Its row was deleted since: nothing left to tell anyone.
    if (!record) return;
    const response = await deps.handlers[entry.event.topic]({ Records: [record] });
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
      if (deps.elsewhere?.includes(read.image.event.topic)) return 'skipped';
      const claim = await deps.outbox.claim(read.image.id, leaseMs);
      if (claim.status === 'done') return 'skipped';
      // Held (the sweep, or this record's first delivery still running) or not due yet: the
      // holder completes it, or the sweep takes it once its lease or its wait is over.
      if (claim.status === 'leased') return 'skipped';
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
