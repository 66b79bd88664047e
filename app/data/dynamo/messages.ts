/**
 * classcast-messages: direct messages and each participant's conversation summary.
 * A send is ONE TransactWriteItems (message, both summaries, the recipient's notification,
 * the outbox entries); a thread is marked read from the sparse unread index in transactions
 * that flip only messages still unread and take exactly that many off the reader's count.
 * Key design: docs/dynamodb.md.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  clampLimit,
  conversationIdFor,
  type FeedPosition,
  type Message,
  type MessagesRepository,
  type NewMessage,
  type NewNotification,
  type PageRequest,
} from '../repository';
import {
  cancellationCodes,
  entityExists,
  isPlausibleId,
  retryOnConflict,
  sleep,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, conversationSummaryKey, messageKey, timeSort, userKey } from './keys';
import {
  isMessage,
  isSummary,
  messageItem,
  summaryUpdate,
  toMessage,
  toSummary,
  unreadThreadOf,
  type SummaryMode,
} from './message-items';
import { notificationItems } from './notification-items';
import { announceOutboxWrite, outboxPut, type TransactItem } from './outbox';
import { queryPage } from './query';
import { INDEXES } from './tables';

const CCF = 'ConditionalCheckFailed';
/** Both participants' summaries take every send of the conversation: allow many conflict rounds. */
const SEND_ATTEMPTS = 25;
/** Rounds of "the summaries' last message is not what we assumed" (newest / older). */
const SUMMARY_ROUNDS = 5;
/** One transaction: up to 99 messages plus the reader's summary. */
const MESSAGES_PER_READ = 99;
/** Rounds of markThreadRead losing messages to a concurrent reader (or a lagging index). */
const READ_ROUNDS = 20;
/** Positions in a send's transaction: [0] message, [1] sender check, [2] recipient check, then summaries. */
const FIRST_SUMMARY = 3;

const isPlausibleConversationId = (id: string) => isPlausibleId(id) && id.includes('_');

export function createMessagesRepository(ctx: DynamoContext): MessagesRepository {
  const table = ctx.tables.messages;

  /**
   * Tries the send with the summaries in `mode`; null when the summaries' last message is not
   * what `mode` assumed (then the other mode is right: the message keeps its time either way).
   */
  async function trySend(message: Message, notification: NewNotification | null, mode: SummaryMode) {
    const { fromUserId, toUserId } = message;
    const now = message.createdAt;
    const sort = timeSort(now, message.id);
    const summaries = [toUserId, fromUserId]
      .map((owner) => summaryUpdate(ctx, message, sort, owner, mode))
      .filter((u): u is TransactItem => u !== null);
    const items: TransactItem[] = [
      { Put: { TableName: table, Item: messageItem(message, sort), ConditionExpression: 'attribute_not_exists(id)' } },
      entityExists(ctx.tables.users, userKey(fromUserId), ENTITY.user),
      entityExists(ctx.tables.users, userKey(toUserId), ENTITY.user),
      ...summaries,
      ...notificationItems(ctx, notification, now),
      outboxPut(
        ctx,
        { topic: 'message', messageId: message.id, conversationId: message.conversationId, fromUserId, toUserId },
        now,
      ),
    ];
    try {
      await retryOnConflict(() => ctx.doc.send(new TransactWriteCommand({ TransactItems: items })), SEND_ATTEMPTS);
      return message;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[1] === CCF) throw new DataNotFoundError('user', fromUserId);
      if (codes?.[2] === CCF) throw new DataNotFoundError('user', toUserId);
      if (codes?.slice(FIRST_SUMMARY, FIRST_SUMMARY + summaries.length).includes(CCF)) return null;
      throw err;
    }
  }

  /** One read transaction over `ids`; false when one of them was read meanwhile (nothing written). */
  async function markRead(conversationId: string, readerId: string, ids: string[]): Promise<boolean> {
    const items: TransactItem[] = ids.map((id) => ({
      Update: {
        TableName: table,
        Key: messageKey(id),
        UpdateExpression: 'SET #read = :true REMOVE #unreadThread',
        ConditionExpression: 'attribute_exists(#unreadThread)',
        ExpressionAttributeNames: { '#read': 'read', '#unreadThread': 'unreadThread' },
        ExpressionAttributeValues: { ':true': true },
      },
    }));
    // Exactly the flipped messages come off the count (not "= 0"): a message arriving
    // meanwhile has ADDed its 1 and stays unread and counted.
    items.push({
      Update: {
        TableName: table,
        Key: conversationSummaryKey(readerId, conversationId),
        UpdateExpression: 'ADD #unread :minus',
        ConditionExpression: '#entity = :conversation',
        ExpressionAttributeNames: { '#unread': 'unreadCount', '#entity': 'entity' },
        ExpressionAttributeValues: { ':minus': -ids.length, ':conversation': ENTITY.conversation },
      },
    });
    try {
      await retryOnConflict(() => ctx.doc.send(new TransactWriteCommand({ TransactItems: items })));
      return true;
    } catch (err) {
      if (cancellationCodes(err)?.includes(CCF)) return false;
      throw err;
    }
  }

  return {
    async send(input: NewMessage, notification: NewNotification | null) {
      const { fromUserId, toUserId } = input;
      if (!isPlausibleId(fromUserId)) throw new DataNotFoundError('user', fromUserId);
      if (!isPlausibleId(toUserId)) throw new DataNotFoundError('user', toUserId);
      // Both summaries would be one item, which a transaction may name once; the service refuses it first.
      if (fromUserId === toUserId) throw new RangeError('A message needs a recipient other than its sender');
      const message: Message = {
        id: newId(),
        conversationId: conversationIdFor(fromUserId, toUserId),
        fromUserId,
        toUserId,
        content: input.content,
        createdAt: ctx.now().toISOString(),
        read: false,
      };
      let mode: SummaryMode = 'newest';
      for (let round = 0; round < SUMMARY_ROUNDS; round++) {
        if (await trySend(message, notification, mode)) {
          announceOutboxWrite(ctx);
          return message;
        }
        mode = mode === 'newest' ? 'older' : 'newest';
      }
      throw new Error(`Conversation ${conversationIdFor(fromUserId, toUserId)} kept changing during send`);
    },

    async getById(id: string) {
      if (!isPlausibleId(id)) return null;
      const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: messageKey(id), ConsistentRead: true }));
      return isMessage(out.Item) ? toMessage(out.Item) : null;
    },

    async listThread(conversationId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.messagesByConversation,
          partitionAttr: 'conversationId',
          partitionValue: conversationId,
          keyAttrs: ['id', 'conversationId', 'sentSort'],
          descending: true,
          plausible: isPlausibleConversationId(conversationId),
        },
        req,
      );
      return { items: page.items.filter(isMessage).map(toMessage), nextCursor: page.nextCursor };
    },

    async listConversations(userId: string, req?: PageRequest) {
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.conversationsByOwner,
          partitionAttr: 'summaryOwnerId',
          partitionValue: userId,
          keyAttrs: ['id', 'summaryOwnerId', 'lastSort'],
          descending: true,
          plausible: isPlausibleId(userId),
        },
        req,
      );
      return { items: page.items.filter(isSummary).map(toSummary), nextCursor: page.nextCursor };
    },

    async markThreadRead(conversationId: string, readerId: string) {
      if (!isPlausibleConversationId(conversationId) || !isPlausibleId(readerId)) return 0;
      let marked = 0;
      for (let round = 0; round < READ_ROUNDS; round++) {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: INDEXES.unreadMessagesByThread,
            KeyConditionExpression: '#unreadThread = :thread',
            ProjectionExpression: 'id',
            ExpressionAttributeNames: { '#unreadThread': 'unreadThread' },
            ExpressionAttributeValues: { ':thread': unreadThreadOf(conversationId, readerId) },
            Limit: MESSAGES_PER_READ,
          }),
        );
        const ids = ((out.Items ?? []) as Item[]).map((i) => i.id as string);
        if (ids.length === 0) return marked;
        if (await markRead(conversationId, readerId, ids)) {
          marked += ids.length;
          if (!out.LastEvaluatedKey) return marked;
        } else {
          // Someone else read some of them (or the index still showed read ones): look again.
          await sleep(10 * (round + 1));
        }
      }
      throw new Error(`Conversation ${conversationId} kept changing while it was marked read`);
    },

    async countUnread(userId: string) {
      if (!isPlausibleId(userId)) return 0;
      // The summaries' counts are exact (they change in the transactions that change messages).
      let unread = 0;
      let start: Item | undefined;
      do {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: INDEXES.conversationsByOwner,
            KeyConditionExpression: '#owner = :owner',
            ProjectionExpression: 'unreadCount',
            ExpressionAttributeNames: { '#owner': 'summaryOwnerId' },
            ExpressionAttributeValues: { ':owner': userId },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of (out.Items ?? []) as Item[]) unread += (item.unreadCount as number | undefined) ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return unread;
    },

    async listReceivedAfter(userId: string, after: FeedPosition, limit: number) {
      if (!isPlausibleId(userId)) return [];
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEXES.messagesByRecipient,
          KeyConditionExpression: '#to = :to AND #sort > :after',
          ExpressionAttributeNames: { '#to': 'toUserId', '#sort': 'sentSort' },
          ExpressionAttributeValues: { ':to': userId, ':after': timeSort(after.at, after.id) },
          ScanIndexForward: true,
          Limit: clampLimit(limit),
        }),
      );
      return ((out.Items ?? []) as Item[]).filter(isMessage).map(toMessage);
    },
  };
}
