/**
 * A 'mail' outbox entry → one mail (the sending is app/mail/deliver.server.ts `deliverMail`,
 * handed in as `send`). The record is the outbox entry's own item, as classcast-notifications
 * streams it (outbox-records.ts builds the same locally): delivered by the outbox runner here
 * or the relay on AWS, both of which retry a failed record with backoff, so an SMTP outage
 * delays a mail and never loses it.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { MailEvent } from '~/data/repository';
import type { StreamHandler } from './outbox-runner.server';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage } from './stream-images';

/** Sends the mail of outbox entry `entryId` if it still should go out; rejects when it was not taken. */
export type SendMail = (entryId: string, mail: MailEvent) => Promise<void>;

export const mailEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('verify-email'), userId: z.string().min(1), tokenId: z.string().min(1) }),
  z.object({ kind: z.literal('password-reset'), userId: z.string().min(1), tokenId: z.string().min(1) }),
  z.object({ kind: z.literal('notification'), userId: z.string().min(1), notificationId: z.string().min(1) }),
  z.object({ kind: z.literal('digest'), userId: z.string().min(1), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
]);

const mailImage = z.object({ outboxEntryId: z.string().min(1), mail: mailEventSchema });

const HANDLER = 'mail-stream';

export const MAIL_NOT_CONFIGURED = 'this process cannot send mail';

/** The `send` of a process without a mail transport: entries stay queued (retried) until one can. */
export const mailNotConfigured: SendMail = () => Promise.reject(new Error(MAIL_NOT_CONFIGURED));

export function createMailHandler(send: SendMail): StreamHandler {
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    handleEachRecord(HANDLER, event, async (record) => {
      if (record.eventName !== 'INSERT') return 'skipped';
      const read = readNewImage(record, mailImage);
      if (!read.ok) return skipUnreadable(HANDLER, record, read.reason);
      await send(read.image.outboxEntryId, read.image.mail);
      return 'done';
    });
}
