/**
 * An outbox entry → the DynamoDB Streams record AWS would deliver for the row it is about, so
 * the same handlers run here and on AWS. The image is the row as it is NOW (read by id), in
 * the attribute names the DynamoDB adapter stores: a notification that collapsed again since
 * the entry was written shows its latest state, and a row deleted since then has nothing left
 * to deliver (null: the entry is done).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Message, Notification, OutboxEntry, Repositories, Submission } from '~/data/repository';
import { LOCAL_STREAM_REGION, localStreamArn, type StreamTopic } from './stream-tables';

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

type RowReaders = {
  notifications: Pick<Repositories['notifications'], 'getById'>;
  messages: Pick<Repositories['messages'], 'getById'>;
  submissions: Pick<Repositories['submissions'], 'getById'>;
};

export function notificationItemImage(n: Notification): Record<string, unknown> {
  return {
    notificationId: n.id,
    id: n.id,
    recipientId: n.recipientId,
    senderId: n.senderId,
    senderName: n.senderName,
    type: n.type,
    title: n.title,
    message: n.message,
    relatedId: n.relatedId,
    relatedType: n.relatedType,
    actionUrl: n.actionUrl,
    isRead: n.isRead,
    createdAt: n.createdAt,
    actorCount: n.actorCount,
  };
}

export function messageItemImage(m: Message): Record<string, unknown> {
  return {
    id: m.id,
    conversationId: m.conversationId,
    fromUserId: m.fromUserId,
    toUserId: m.toUserId,
    content: m.content,
    timestamp: m.createdAt,
    read: m.read,
  };
}

/**
 * A classcast-submissions item as the DynamoDB adapter stores it (its list-index attributes
 * left out: no stream reader needs them, and app/jobs never imports the adapter).
 */
export function submissionItemImage(s: Submission): Record<string, unknown> {
  return { submissionId: s.id, entity: 'submission', ...s };
}

function streamRecord(entry: OutboxEntry, topic: StreamTopic, keyName: string, item: Record<string, unknown>) {
  const image = marshall(item, { removeUndefinedValues: true }) as StreamImage;
  const record: DynamoDBRecord = {
    eventID: entry.id,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_STREAM_REGION,
    eventSourceARN: localStreamArn(topic),
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.parse(entry.createdAt) / 1000),
      Keys: { [keyName]: image[keyName]! },
      NewImage: image,
      // The runner maps a batch failure back to its entry by this.
      SequenceNumber: entry.id,
      SizeBytes: JSON.stringify(image).length,
      StreamViewType: 'NEW_IMAGE',
    },
  };
  return record;
}

/** The record for `entry`, or null when its row no longer exists. */
export async function outboxRecord(repos: RowReaders, entry: OutboxEntry): Promise<DynamoDBRecord | null> {
  const { event } = entry;
  if (event.topic === 'notification') {
    const notification = await repos.notifications.getById(event.notificationId);
    return notification
      ? streamRecord(entry, 'notification', 'notificationId', notificationItemImage(notification))
      : null;
  }
  if (event.topic === 'mail') {
    // A mail has no row of its own: what to say is read by id when it is sent (deliver.server.ts).
    return streamRecord(entry, 'mail', 'outboxEntryId', { outboxEntryId: entry.id, mail: event.mail });
  }
  if (event.topic === 'ltiScore') {
    // The grade the LMS gets is the submission's grade as it is now (a regrade since wins).
    const submission = await repos.submissions.getById(event.submissionId);
    return submission ? streamRecord(entry, 'ltiScore', 'submissionId', submissionItemImage(submission)) : null;
  }
  const message = await repos.messages.getById(event.messageId);
  return message ? streamRecord(entry, 'message', 'id', messageItemImage(message)) : null;
}
