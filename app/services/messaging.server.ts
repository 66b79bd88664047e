/**
 * Direct messages between two people. The conversation id is the sorted pair
 * (conversationIdFor), so both sides always land in the same thread. The adapter stores the
 * message, both sides' conversation summaries, the recipient's notification and the outbox
 * entries in one transaction; the jobs deliver it live after the commit.
 */
import { z } from 'zod';
import type { ConversationSummary, Message, NewNotification, PageRequest, User } from '~/data/repository';
import { collapsedNotificationId } from '~/data/ids';
import { forbidden } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import {
  mayMessagePerson,
  requireMayMessage,
  requireOwnConversations,
  requireOwnPair,
  requirePersonRelation,
  requireThreadParticipant,
  requireUser,
} from './access.server';
import type { ServiceContext } from './context';
import { displayName, personSummary, type PersonSummary } from './people';

type Ctx = Pick<ServiceContext, 'repos'>;

export const MESSAGE_MAX = 2000;
/** How much of a message the bell and the conversation list show. */
const PREVIEW_LENGTH = 120;

const userIdField = (name: string) =>
  z
    .string({ error: `${name} is required.` })
    .trim()
    .min(1, `${name} is required.`)
    .max(100, `${name} is not a user id.`);

const sendSchema = z.object({
  toUserId: userIdField('toUserId'),
  content: z
    .string({ error: 'Write a message first.' })
    .trim()
    .min(1, 'Write a message first.')
    .max(MESSAGE_MAX, tooLongMessage('A message', MESSAGE_MAX)),
  fromUserId: z.unknown().optional(),
});

/** The first words of a message, on one line, for lists and notifications. */
export function messagePreview(content: string, length = PREVIEW_LENGTH): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length <= length ? line : `${line.slice(0, length - 1).trimEnd()}…`;
}

/** The key under which one conversation's messages collapse into one bell entry per recipient. */
export function messageCollapseKey(conversationId: string): string {
  return `message:${conversationId}`;
}

function messageNotification(sender: User, toUserId: string, conversationId: string, content: string): NewNotification {
  return {
    recipientId: toUserId,
    senderId: sender.id,
    senderName: displayName(sender),
    type: 'message',
    title: `New message from ${displayName(sender)}`,
    message: messagePreview(content),
    relatedId: conversationId,
    relatedType: 'conversation',
    actionUrl: `/messages/${sender.id}`,
    collapseKey: messageCollapseKey(conversationId),
  };
}

/**
 * `{toUserId, content}` from the caller. A `fromUserId` in the input is never trusted: one
 * naming someone else is refused (403), the caller's own is redundant.
 */
export async function sendMessage(ctx: Ctx, actor: User | null, input: unknown): Promise<Message> {
  const sender = requireUser(actor);
  const { toUserId, content, fromUserId } = parseInput(sendSchema, input);
  if (fromUserId !== undefined && fromUserId !== '' && fromUserId !== sender.id) {
    throw forbidden('Messages are always sent as yourself.');
  }
  const { other, conversationId } = await requireMayMessage(ctx, sender, toUserId);
  return ctx.repos.messages.send(
    { fromUserId: sender.id, toUserId: other.id, content },
    messageNotification(sender, other.id, conversationId, content),
  );
}

export interface ConversationView extends ConversationSummary {
  /** The other participant as shown next to content; null when their account is gone. */
  other: PersonSummary | null;
}

const conversationsQuery = z.object({ userId: z.string().trim().max(100).optional() });

/** The caller's conversations, most recent first, each with the other person (one batch read). */
export async function listConversations(
  ctx: Ctx,
  actor: User | null,
  query: Record<string, unknown> = {},
  page: PageRequest = {},
): Promise<{ conversations: ConversationView[]; nextCursor: string | null }> {
  const { userId } = parseInput(conversationsQuery, { userId: query.userId || undefined });
  const user = requireOwnConversations(actor, userId);
  const result = await ctx.repos.messages.listConversations(user.id, page);
  const otherIds = [...new Set(result.items.map((c) => c.otherUserId))];
  const people = otherIds.length ? await ctx.repos.users.getMany(otherIds) : [];
  const byId = new Map(people.map((p) => [p.id, personSummary(p)]));
  return {
    conversations: result.items.map((c) => ({ ...c, other: byId.get(c.otherUserId) ?? null })),
    nextCursor: result.nextCursor,
  };
}

export interface ThreadView {
  /** The caller: the side whose messages are "mine". */
  viewerId: string;
  other: PersonSummary;
  conversationId: string;
  /** Reading order (oldest first) within the page; the page is the latest unless a cursor was given. */
  messages: Message[];
  /** Cursor of the next OLDER page, or null when this page reaches the first message. */
  olderCursor: string | null;
  /** Whether the caller may write here now (the rule may have stopped holding since). */
  mayReply: boolean;
}

/**
 * Marks what the caller received in the conversation read, and the conversation's collapsed
 * bell entry with it, so the bell and the list agree with what the reader has seen.
 */
async function markConversationRead(ctx: Ctx, reader: User, conversationId: string): Promise<void> {
  await ctx.repos.messages.markThreadRead(conversationId, reader.id);
  const noteId = collapsedNotificationId(reader.id, messageCollapseKey(conversationId));
  const note = await ctx.repos.notifications.getById(noteId);
  if (note && !note.isRead && note.recipientId === reader.id) await ctx.repos.notifications.markRead(noteId);
}

async function readPageOfThread(ctx: Ctx, reader: User, conversationId: string, page: PageRequest) {
  const result = await ctx.repos.messages.listThread(conversationId, page);
  // Opening the thread (its latest page) reads it; an older page only if it shows unread ones.
  if (!page.cursor || result.items.some((m) => m.toUserId === reader.id && !m.read)) {
    await markConversationRead(ctx, reader, conversationId);
  }
  return result;
}

/**
 * The /messages/:userId page: the thread of the caller and that person, marking it read.
 * Unknown person → 404; someone the caller may not message and has never written with → 403
 * (there is nothing to show and nothing they may do here).
 */
export async function openThread(
  ctx: Ctx,
  actor: User | null,
  otherUserId: string,
  page: PageRequest = {},
): Promise<ThreadView> {
  const { user, other, conversationId } = await requireThreadParticipant(ctx, actor, otherUserId);
  const [result, mayReply] = await Promise.all([
    readPageOfThread(ctx, user, conversationId, page),
    requirePersonRelation(ctx, user, other.id).then((relation) => mayMessagePerson(ctx, relation)),
  ]);
  if (!mayReply && result.items.length === 0) {
    throw forbidden('You can only message people who share a course with you or your study buddies.');
  }
  return {
    viewerId: user.id,
    other: personSummary(other),
    conversationId,
    // Newest first from the port; people read top to bottom.
    messages: [...result.items].reverse().map((m) => (m.toUserId === user.id ? { ...m, read: true } : m)),
    olderCursor: result.nextCursor,
    mayReply,
  };
}

const pairQuery = z.object({ userId1: userIdField('userId1'), userId2: userIdField('userId2') });

/**
 * `GET /api/messaging/messages?userId1=&userId2=`: the caller must be one of the two (403),
 * the other must exist (404). The latest page, oldest first; `nextCursor` for older ones.
 * Reading marks the caller's received messages read.
 */
export async function readConversation(
  ctx: Ctx,
  actor: User | null,
  query: Record<string, unknown>,
  page: PageRequest = {},
): Promise<{ messages: Message[]; nextCursor: string | null }> {
  requireUser(actor);
  const pair = parseInput(pairQuery, { userId1: query.userId1, userId2: query.userId2 });
  const { otherUserId } = requireOwnPair(actor, pair.userId1, pair.userId2);
  const { user, conversationId } = await requireThreadParticipant(ctx, actor, otherUserId);
  const result = await readPageOfThread(ctx, user, conversationId, page);
  return {
    messages: [...result.items].reverse().map((m) => (m.toUserId === user.id ? { ...m, read: true } : m)),
    nextCursor: result.nextCursor,
  };
}

/** Bounds that keep the picker a fixed amount of work, however big the school. */
const PICKER_COURSES = 20;
const PICKER_ROSTER = 100;
const PICKER_BUDDIES = 100;
/** users.getMany reads at most 100 ids in one batch. */
export const PICKER_MAX = 100;

/**
 * The people the caller may message, for the "new message" picker: members of the caller's
 * first courses (students and instructors) and accepted study buddies, by name, at most
 * PICKER_MAX. Admins may message anyone, but the picker shows them the same bounded list.
 */
export async function messageablePeople(ctx: Ctx, actor: User | null): Promise<PersonSummary[]> {
  const user = requireUser(actor);
  const [courses, buddies] = await Promise.all([
    ctx.repos.enrollments.listByUser(user.id, { limit: PICKER_COURSES }),
    ctx.repos.connections.listByUser(user.id, { status: 'accepted' }, { limit: PICKER_BUDDIES }),
  ]);
  const rosters = await Promise.all(
    courses.items.map((e) => ctx.repos.enrollments.listByCourse(e.courseId, { limit: PICKER_ROSTER })),
  );
  const ids = new Set<string>();
  for (const c of buddies.items) ids.add(c.requesterId === user.id ? c.requestedId : c.requesterId);
  for (const e of rosters.flatMap((r) => r.items)) ids.add(e.userId);
  ids.delete(user.id);
  const candidates = [...ids].slice(0, PICKER_MAX);
  if (!candidates.length) return [];
  const people = await ctx.repos.users.getMany(candidates);
  return people.map(personSummary).sort((a, b) => a.name.localeCompare(b.name));
}

export interface ConversationRow {
  conversationId: string;
  other: PersonSummary | null;
  otherUserId: string;
  /** The last message on one line, shortened. */
  preview: string;
  lastFromMe: boolean;
  lastAt: string;
  unreadCount: number;
}

/** The /messages page: the caller's conversations (paged) and whom a new message may go to. */
export async function messagesOverview(
  ctx: Ctx,
  actor: User | null,
  page: PageRequest = {},
): Promise<{ conversations: ConversationRow[]; nextCursor: string | null; people: PersonSummary[] }> {
  const user = requireUser(actor);
  const [{ conversations, nextCursor }, people] = await Promise.all([
    listConversations(ctx, user, {}, page),
    messageablePeople(ctx, user),
  ]);
  return {
    conversations: conversations.map((c) => ({
      conversationId: c.conversationId,
      other: c.other,
      otherUserId: c.otherUserId,
      preview: messagePreview(c.lastMessage, 90),
      lastFromMe: c.lastFromUserId === user.id,
      lastAt: c.lastAt,
      unreadCount: c.unreadCount,
    })),
    nextCursor,
    people,
  };
}

/** The message as the original API wrote it (`messageId` and `timestamp` beside our names). */
export function messageJson(m: Message) {
  return {
    id: m.id,
    messageId: m.id,
    conversationId: m.conversationId,
    fromUserId: m.fromUserId,
    toUserId: m.toUserId,
    content: m.content,
    timestamp: m.createdAt,
    read: m.read,
  };
}

/** A conversation as the original API listed it, keyed by the other person. */
export function conversationJson(c: ConversationView) {
  return {
    conversationId: c.conversationId,
    userId: c.otherUserId,
    userName: c.other?.name ?? 'Former user',
    userAvatar: c.other?.avatar ?? null,
    lastMessage: c.lastMessage,
    lastFromUserId: c.lastFromUserId,
    lastTimestamp: c.lastAt,
    unreadCount: c.unreadCount,
  };
}
