/**
 * classcast-messages stream → the recipient's open thread and badge, and the sender's other
 * tabs. Shaped as an AWS Lambda handler for DynamoDB Streams, like notifications-stream.ts.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { MessagesRepository } from '~/data/repository';
import type { RealtimeBus } from '~/realtime/bus';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage } from './stream-images';

export interface MessagesStreamDeps {
  bus: Pick<RealtimeBus, 'publish'>;
  messages: Pick<MessagesRepository, 'countUnread'>;
}

/** The attributes of a classcast-messages item the live views need (ids and time, no body). */
const messageImage = z.object({
  id: z.string().min(1),
  conversationId: z.string().min(1),
  fromUserId: z.string().min(1),
  toUserId: z.string().min(1),
  timestamp: z.string().min(1),
});

const HANDLER = 'messages-stream';

export function createMessagesStreamHandler(deps: MessagesStreamDeps) {
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    handleEachRecord(HANDLER, event, async (record) => {
      // A message is written once; a MODIFY is it being read, which nobody needs live.
      if (record.eventName !== 'INSERT') return 'skipped';
      const read = readNewImage(record, messageImage);
      if (!read.ok) return skipUnreadable(HANDLER, record, read.reason);
      const { id, conversationId, fromUserId, toUserId, timestamp } = read.image;
      const [recipientUnread, senderUnread] = await Promise.all([
        deps.messages.countUnread(toUserId),
        deps.messages.countUnread(fromUserId),
      ]);
      const about = { messageId: id, conversationId, fromUserId, toUserId, position: { at: timestamp, id } };
      await deps.bus.publish({ type: 'message', userId: toUserId, ...about, unreadMessages: recipientUnread });
      await deps.bus.publish({ type: 'message', userId: fromUserId, ...about, unreadMessages: senderUnread });
      return 'done';
    });
}
