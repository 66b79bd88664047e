/**
 * Item shapes of classcast-messages: a message keeps the original's attribute names
 * (id, conversationId, fromUserId, toUserId, content, timestamp, read); a conversation
 * summary (one per participant) lives in the same table under `CONVERSATION#<owner>#<conv>`.
 */
import type { ConversationSummary, Message } from '../repository';
import type { DynamoContext, Item } from './client';
import { ENTITY, conversationSummaryKey, messageKey } from './keys';
import type { TransactItem } from './outbox';

export const isMessage = (item: Item | undefined): item is Item => item?.entity === ENTITY.message;
export const isSummary = (item: Item | undefined): item is Item => item?.entity === ENTITY.conversation;

/** The sparse unread index's partition: a conversation's unread messages to one reader. */
export const unreadThreadOf = (conversationId: string, readerId: string) => `${conversationId}#${readerId}`;

export function toMessage(item: Item): Message {
  return {
    id: item.id as string,
    conversationId: item.conversationId as string,
    fromUserId: item.fromUserId as string,
    toUserId: item.toUserId as string,
    content: item.content as string,
    createdAt: item.timestamp as string,
    read: item.read === true,
  };
}

export function toSummary(item: Item): ConversationSummary {
  return {
    conversationId: item.conversationId as string,
    userId: item.summaryOwnerId as string,
    otherUserId: item.otherUserId as string,
    lastMessageId: item.lastMessageId as string,
    lastMessage: item.lastMessage as string,
    lastFromUserId: item.lastFromUserId as string,
    lastAt: item.lastAt as string,
    unreadCount: (item.unreadCount as number | undefined) ?? 0,
  };
}

/** A new, unread message; `sentSort` orders all three message indexes. */
export function messageItem(message: Message, sentSort: string): Item {
  return {
    ...messageKey(message.id),
    entity: ENTITY.message,
    id: message.id,
    conversationId: message.conversationId,
    fromUserId: message.fromUserId,
    toUserId: message.toUserId,
    content: message.content,
    timestamp: message.createdAt,
    read: false,
    sentSort,
    unreadThread: unreadThreadOf(message.conversationId, message.toUserId),
  };
}

/**
 * How a send touches one participant's summary. `newest`: the message becomes the last one
 * (only if the summary's last is older, so concurrent sends keep the newest, whichever commits
 * last). `older`: a newer message is already last; only the recipient's unread count moves.
 */
export type SummaryMode = 'newest' | 'older';

export function summaryUpdate(
  ctx: DynamoContext,
  message: Message,
  sentSort: string,
  ownerId: string,
  mode: SummaryMode,
): TransactItem | null {
  const isRecipient = ownerId === message.toUserId;
  if (mode === 'older' && !isRecipient) return null;
  const base = {
    TableName: ctx.tables.messages,
    Key: conversationSummaryKey(ownerId, message.conversationId),
  };
  if (mode === 'older') {
    return {
      Update: {
        ...base,
        UpdateExpression: 'ADD #unread :one',
        ConditionExpression: '#lastSort > :sort',
        ExpressionAttributeNames: { '#unread': 'unreadCount', '#lastSort': 'lastSort' },
        ExpressionAttributeValues: { ':one': 1, ':sort': sentSort },
      },
    };
  }
  const otherUserId = isRecipient ? message.fromUserId : message.toUserId;
  return {
    Update: {
      ...base,
      UpdateExpression:
        'SET #entity = :entity, #owner = :owner, #conversationId = :conversationId, #other = :other, ' +
        '#lastId = :lastId, #last = :last, #lastFrom = :lastFrom, #lastAt = :lastAt, #lastSort = :sort ' +
        'ADD #unread :add',
      ConditionExpression: 'attribute_not_exists(#lastSort) OR #lastSort < :sort',
      ExpressionAttributeNames: {
        '#entity': 'entity',
        '#owner': 'summaryOwnerId',
        '#conversationId': 'conversationId',
        '#other': 'otherUserId',
        '#lastId': 'lastMessageId',
        '#last': 'lastMessage',
        '#lastFrom': 'lastFromUserId',
        '#lastAt': 'lastAt',
        '#lastSort': 'lastSort',
        '#unread': 'unreadCount',
      },
      ExpressionAttributeValues: {
        ':entity': ENTITY.conversation,
        ':owner': ownerId,
        ':conversationId': message.conversationId,
        ':other': otherUserId,
        ':lastId': message.id,
        ':last': message.content,
        ':lastFrom': message.fromUserId,
        ':lastAt': message.createdAt,
        ':sort': sentSort,
        // ADD 0 on the sender's side creates the counter at 0 on a first message.
        ':add': isRecipient ? 1 : 0,
      },
    },
  };
}
