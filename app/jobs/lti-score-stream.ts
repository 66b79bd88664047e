/**
 * An `ltiScore` outbox entry → the grade's trip to the LMS gradebook (LTI AGS; the sending is
 * the service's `sendLtiScore`, handed in as `send`). The record is the graded submission's,
 * built by outbox-records.ts as classcast-submissions would stream it, and delivered by the
 * outbox runner (locally) or the relay on the notifications stream (AWS), both of which retry
 * a failed record with backoff — so a platform outage delays a grade, never loses it.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { StreamHandler } from './outbox-runner.server';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage } from './stream-images';

/** Sends the submission's CURRENT grade to every LMS line item its assignment is linked to. */
export type SendLtiScore = (submissionId: string) => Promise<void>;

/** The attributes of a classcast-submissions item this job needs (the item has more). */
const submissionImage = z.object({
  entity: z.literal('submission'),
  submissionId: z.string().min(1),
});

const HANDLER = 'lti-score-stream';

export const PASSBACK_NOT_CONFIGURED = 'grade passback is not configured';

/**
 * The `send` of a process that cannot reach LMSs: every record fails, so its entry stays in
 * the outbox and is retried (with backoff) until a process that can send takes it.
 */
export const passbackNotConfigured: SendLtiScore = () => Promise.reject(new Error(PASSBACK_NOT_CONFIGURED));

export function createLtiScoreHandler(send: SendLtiScore): StreamHandler {
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    handleEachRecord(HANDLER, event, async (record) => {
      // A removed submission has no grade left to send.
      if (record.eventName === 'REMOVE') return 'skipped';
      const read = readNewImage(record, submissionImage);
      if (!read.ok) return skipUnreadable(HANDLER, record, read.reason);
      await send(read.image.submissionId);
      return 'done';
    });
}
