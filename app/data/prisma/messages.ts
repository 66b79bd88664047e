/**
 * Direct messages on Postgres. A send is ONE statement: the message row, both participants'
 * conversation summaries (upserts keyed by (user, other)), the message's outbox entry and the
 * recipient's notification with its own entry, as data-modifying CTEs — atomic, one round
 * trip, and exact under concurrency: the recipient's unread_count moves by `+ 1` under the
 * summary row's lock, and the "last message" fields only move to a later (time, id).
 */
import { newId } from '../ids';
import {
  clampLimit,
  conversationIdFor,
  systemClock,
  type Clock,
  type ConversationSummary,
  type Message,
  type MessagesRepository,
} from '../repository';
import {
  Prisma,
  type Conversation as ConversationRow,
  type Message as MessageRow,
} from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { feedPosition, keysetPage, keysetPageBy, readKeyset } from './keyset';
import { missingReferenceError } from './mapping';
import { notificationRefs, notifyIfWritten } from './notification-sql';
import type { OutboxSignal } from './outbox';
import { CONVERSATION, MESSAGE } from './columns';
import { keysetStatements, readBeyond, readKeysetRows, statement, type Reader } from './statements';

const newestFirst = { at: 'created_at', id: 'id', dir: 'DESC' } as const;
const THREAD = keysetStatements(
  'messages.thread',
  `SELECT ${MESSAGE} FROM messages WHERE conversation_id = $1`,
  1,
  newestFirst,
);
const RECEIVED_AFTER = keysetStatements(
  'messages.receivedAfter',
  `SELECT ${MESSAGE} FROM messages WHERE to_user_id = $1`,
  1,
  { at: 'created_at', id: 'id', dir: 'ASC' },
);
const CONVERSATIONS = keysetStatements(
  'messages.conversations',
  `SELECT ${CONVERSATION} FROM conversations WHERE user_id = $1`,
  1,
  { at: 'last_at', id: 'conversation_id', dir: 'DESC' },
);
const BY_ID = statement('messages.byId', `SELECT ${MESSAGE} FROM messages WHERE id = $1`);
const UNREAD = statement(
  'messages.unread',
  `SELECT COALESCE(sum(unread_count), 0)::int AS n FROM conversations WHERE user_id = $1`,
);

const MESSAGE_COLUMNS = Prisma.raw(MESSAGE);

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    fromUserId: row.fromUserId,
    toUserId: row.toUserId,
    content: row.content,
    createdAt: row.createdAt.toISOString(),
    read: row.read,
  };
}

function toConversation(row: ConversationRow): ConversationSummary {
  return {
    conversationId: row.conversationId,
    userId: row.userId,
    otherUserId: row.otherUserId,
    lastMessageId: row.lastMessageId,
    lastMessage: row.lastMessage,
    lastFromUserId: row.lastFromUserId,
    lastAt: row.lastAt.toISOString(),
    unreadCount: row.unreadCount,
  };
}

type LastMessageColumn = 'last_message_id' | 'last_message' | 'last_from_user_id' | 'last_at';

/** A summary column takes the incoming value only when the incoming message is the later one. */
const latest = (column: LastMessageColumn) =>
  Prisma.raw(
    `${column} = CASE WHEN (EXCLUDED.last_at, EXCLUDED.last_message_id) > (summary.last_at, summary.last_message_id)` +
      ` THEN EXCLUDED.${column} ELSE summary.${column} END`,
  );

/** The upsert of one participant's summary from the `incoming` message; the recipient's unread grows. */
function summaryUpsert(owner: 'from_user_id' | 'to_user_id', other: 'from_user_id' | 'to_user_id', unread: 0 | 1) {
  return Prisma.sql`
    INSERT INTO conversations AS summary
      (user_id, other_user_id, conversation_id, last_message_id, last_message, last_from_user_id, last_at, unread_count)
    SELECT ${Prisma.raw(owner)}, ${Prisma.raw(other)}, conversation_id, id, content, from_user_id, created_at, ${unread}::int
    FROM incoming
    ON CONFLICT (user_id, other_user_id) DO UPDATE SET
      unread_count = summary.unread_count + EXCLUDED.unread_count,
      ${latest('last_message_id')}, ${latest('last_message')}, ${latest('last_from_user_id')},
      ${latest('last_at')}`;
}

export function prismaMessages(
  prisma: PrismaClient,
  reader: Reader,
  signal: OutboxSignal,
  clock: Clock = systemClock,
): MessagesRepository {
  return {
    async send(input, notification) {
      // Both summaries would be the same row; the service refuses this first (403).
      if (input.fromUserId === input.toUserId) throw new RangeError('A message needs two different people');
      const at = clock();
      const row = {
        id: newId(),
        conversationId: conversationIdFor(input.fromUserId, input.toUserId),
        createdAt: at.toISOString(),
      };
      let sent: MessageRow[];
      try {
        sent = await prisma.$queryRaw<MessageRow[]>`
          WITH incoming (id, conversation_id, from_user_id, to_user_id, content, created_at) AS (
            VALUES (${row.id}, ${row.conversationId}, ${input.fromUserId}, ${input.toUserId}, ${input.content},
              ${row.createdAt}::timestamptz)
          ), sent AS (
            INSERT INTO messages (id, conversation_id, from_user_id, to_user_id, content, created_at, read)
            SELECT id, conversation_id, from_user_id, to_user_id, content, created_at, false FROM incoming
            RETURNING ${MESSAGE_COLUMNS}
          ), sender_summary AS (${summaryUpsert('from_user_id', 'to_user_id', 0)}
          ), recipient_summary AS (${summaryUpsert('to_user_id', 'from_user_id', 1)}
          ), message_outbox AS (
            INSERT INTO outbox (id, topic, payload, created_at, available_at)
            SELECT ${newId()}, 'message', jsonb_build_object('topic', 'message', 'messageId', id,
                'conversationId', "conversationId", 'fromUserId', "fromUserId", 'toUserId', "toUserId"),
              ${row.createdAt}::timestamptz, ${row.createdAt}::timestamptz
            FROM sent
          )${notifyIfWritten('sent', notification, at)}
          SELECT * FROM sent`;
      } catch (error) {
        throw (
          missingReferenceError(error, {
            messages_from_user_id_fkey: ['user', input.fromUserId],
            messages_to_user_id_fkey: ['user', input.toUserId],
            conversations_user_id_fkey: ['user', input.fromUserId],
            conversations_other_user_id_fkey: ['user', input.toUserId],
            ...notificationRefs(notification),
          }) ?? error
        );
      }
      signal.written();
      return toMessage(sent[0]!);
    },

    async getById(id) {
      const [row] = await reader.rows<MessageRow>(BY_ID, [id]);
      return row ? toMessage(row) : null;
    },

    /** Newest first on (conversation_id, created_at DESC, id DESC). */
    async listThread(conversationId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'messages.thread', conversationId);
      const rows = await readKeysetRows<MessageRow>(reader, THREAD, [conversationId], after, limit);
      return keysetPage(rows, limit, 'messages.thread', conversationId, (r) => r.id, toMessage);
    },

    /** Most recent first on (user_id, last_at DESC, conversation_id DESC). */
    async listConversations(userId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'messages.conversations', userId);
      const rows = await readKeysetRows<ConversationRow>(reader, CONVERSATIONS, [userId], after, limit);
      const keyOf = (r: ConversationRow) => ({ at: r.lastAt, id: r.conversationId });
      return keysetPageBy(rows, limit, 'messages.conversations', userId, keyOf, toConversation);
    },

    /**
     * One statement: mark the unread messages to the reader, and take exactly that many off the
     * reader's summary — so a message sent meanwhile (not marked) stays counted.
     */
    async markThreadRead(conversationId, readerId) {
      const [result] = await prisma.$queryRaw<{ marked: number }[]>`
        WITH marked AS (
          UPDATE messages SET read = true
          WHERE conversation_id = ${conversationId} AND to_user_id = ${readerId} AND NOT read
          RETURNING id
        ), summary AS (
          UPDATE conversations SET unread_count = GREATEST(0, unread_count - (SELECT count(*) FROM marked))
          WHERE user_id = ${readerId} AND conversation_id = ${conversationId}
        )
        SELECT count(*)::int AS marked FROM marked`;
      return Number(result?.marked ?? 0);
    },

    async countUnread(userId) {
      const [row] = await reader.rows<{ n: number }>(UNREAD, [userId]);
      return row?.n ?? 0;
    },

    /** Oldest first, strictly after (created_at, id), on (to_user_id, created_at, id). */
    async listReceivedAfter(userId, after, limit) {
      const rows = await readBeyond<MessageRow>(
        reader,
        RECEIVED_AFTER,
        [userId],
        feedPosition(after),
        clampLimit(limit),
      );
      return rows.map(toMessage);
    },
  };
}
