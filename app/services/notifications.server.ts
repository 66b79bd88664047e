/**
 * The bell and /notifications: a person's own notifications (newest first, collapsed likes
 * told as one), reading them, and announcements by instructors and admins. Rows are written by
 * the adapters together with their outbox entries; live delivery is the jobs' (app/jobs).
 */
import { z } from 'zod';
import {
  NOTIFICATION_TYPES,
  type Assignment,
  type NewNotification,
  type Notification,
  type PageRequest,
  type User,
} from '~/data/repository';
import { parseInput, tooLongMessage } from '~/utils/validation';
import {
  requireAnnouncementAudience,
  requireNotificationReader,
  requireOwnNotification,
  requireUser,
} from './access.server';
import type { ServiceContext } from './context';
import { isSameOriginPath, notificationText } from './notification-text';
import { displayName } from './people';

type Ctx = Pick<ServiceContext, 'repos'>;

/** The original API's notification, `message` being what people read (collapsed likes told as one). */
export interface NotificationView {
  notificationId: string;
  id: string;
  recipientId: string;
  senderId: string | null;
  senderName: string | null;
  type: Notification['type'];
  title: string;
  message: string;
  relatedId: string | null;
  relatedType: string | null;
  /** Always a same-origin path: what the notification is about. */
  actionUrl: string;
  isRead: boolean;
  createdAt: string;
  actorCount: number;
}

export function notificationView(n: Notification): NotificationView {
  const text = notificationText(n);
  return {
    notificationId: n.id,
    id: n.id,
    recipientId: n.recipientId,
    senderId: n.senderId,
    senderName: n.senderName,
    type: n.type,
    title: text.title,
    message: text.message,
    relatedId: n.relatedId,
    relatedType: n.relatedType,
    actionUrl: text.link,
    isRead: n.isRead,
    createdAt: n.createdAt,
    actorCount: n.actorCount,
  };
}

const listQuerySchema = z.object({ userId: z.string().max(100).optional() }).loose();

/** The caller's notifications, newest first, with their unread count. */
export async function listNotifications(ctx: Ctx, actor: User | null, query: unknown, page: PageRequest = {}) {
  const { userId } = parseInput(listQuerySchema, query);
  const user = requireNotificationReader(actor, userId || undefined);
  const [list, unreadCount] = await Promise.all([
    ctx.repos.notifications.listByRecipient(user.id, page),
    ctx.repos.notifications.countUnread(user.id),
  ]);
  return { notifications: list.items.map(notificationView), unreadCount, nextCursor: list.nextCursor };
}

/** The header's two numbers, in one call: unread notifications and unread messages. */
export async function headerCounts(ctx: Ctx, actor: User | null) {
  const user = requireUser(actor);
  const [unreadNotifications, unreadMessages] = await Promise.all([
    ctx.repos.notifications.countUnread(user.id),
    ctx.repos.messages.countUnread(user.id),
  ]);
  return { unreadNotifications, unreadMessages };
}

export async function markNotificationRead(ctx: Ctx, actor: User | null, notificationId: string) {
  const { notification } = await requireOwnNotification(ctx, actor, notificationId);
  const read = notification.isRead ? notification : await ctx.repos.notifications.markRead(notification.id);
  return notificationView(read);
}

/** Opening a notification reads it and goes to what it is about. */
export async function openNotification(ctx: Ctx, actor: User | null, notificationId: string) {
  const view = await markNotificationRead(ctx, actor, notificationId);
  return { redirectTo: view.actionUrl };
}

export async function markAllNotificationsRead(ctx: Ctx, actor: User | null) {
  const user = requireUser(actor);
  return { count: await ctx.repos.notifications.markAllRead(user.id) };
}

export const ANNOUNCEMENT_TITLE_MAX = 200;
export const ANNOUNCEMENT_MESSAGE_MAX = 2000;
const ACTION_URL_MAX = 500;

/** A form may send '' for a field left empty: the same as leaving it out. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const id = (name: string) =>
  z
    .string({ error: `${name} must be an id.` })
    .trim()
    .min(1)
    .max(100, `${name} is not an id.`);

const createSchema = z.object({
  recipientId: optional(id('recipientId')),
  courseId: optional(id('courseId')),
  type: optional(z.enum(NOTIFICATION_TYPES, { error: `type must be one of: ${NOTIFICATION_TYPES.join(', ')}.` })),
  title: z
    .string({ error: 'title is required.' })
    .trim()
    .min(1, 'title is required.')
    .max(ANNOUNCEMENT_TITLE_MAX, tooLongMessage('Title', ANNOUNCEMENT_TITLE_MAX)),
  message: z
    .string({ error: 'message is required.' })
    .trim()
    .min(1, 'message is required.')
    .max(ANNOUNCEMENT_MESSAGE_MAX, tooLongMessage('Message', ANNOUNCEMENT_MESSAGE_MAX)),
  actionUrl: optional(
    z
      .string({ error: 'actionUrl must be a path on this site, like /courses/….' })
      .trim()
      .max(ACTION_URL_MAX, tooLongMessage('actionUrl', ACTION_URL_MAX))
      .refine(isSameOriginPath, 'actionUrl must be a path on this site, like /courses/….'),
  ),
});

/** createMany's ceiling, and the roster page read per call. */
const FAN_OUT_BATCH = 100;

/** Every student of the course but the sender, the roster read a page at a time. */
async function courseStudentIds(ctx: Ctx, sender: User, courseId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await ctx.repos.enrollments.listByCourse(courseId, { limit: FAN_OUT_BATCH, cursor });
    for (const e of page.items) if (e.role === 'student' && e.userId !== sender.id) ids.push(e.userId);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

type NotificationContent = Omit<NewNotification, 'recipientId' | 'senderId' | 'senderName'>;

/** One notification per recipient from `sender`, written ≤100 per call (each with its outbox entry). */
async function fanOut(ctx: Ctx, sender: User, recipientIds: string[], content: NotificationContent) {
  const notificationIds: string[] = [];
  for (let i = 0; i < recipientIds.length; i += FAN_OUT_BATCH) {
    const batch: NewNotification[] = recipientIds.slice(i, i + FAN_OUT_BATCH).map((recipientId) => ({
      recipientId,
      senderId: sender.id,
      senderName: displayName(sender),
      ...content,
    }));
    const created = await ctx.repos.notifications.createMany(batch);
    notificationIds.push(...created.map((n) => n.id));
  }
  return notificationIds;
}

/**
 * A newly published assignment, told to the course's students (called by the assignments
 * service after the write that published it; the caller has proved it teaches the course).
 */
export async function notifyAssignmentPublished(
  ctx: Ctx,
  sender: User,
  assignment: Pick<Assignment, 'id' | 'courseId' | 'title'>,
): Promise<number> {
  const ids = await fanOut(ctx, sender, await courseStudentIds(ctx, sender, assignment.courseId), {
    type: 'assignment_published',
    title: `New assignment: “${assignment.title}”`,
    message: `${displayName(sender)} published “${assignment.title}”.`,
    relatedId: assignment.id,
    relatedType: 'assignment',
    actionUrl: `/assignments/${assignment.id}`,
  });
  return ids.length;
}

/**
 * An announcement (`POST /api/notifications/create`): to every student of a course, or to one
 * person (see requireAnnouncementAudience). Written ≤100 per call, each with its outbox entry.
 */
export async function createNotifications(ctx: Ctx, actor: User | null, input: unknown) {
  requireUser(actor);
  const data = parseInput(createSchema, input);
  const { sender, audience } = await requireAnnouncementAudience(ctx, actor, data);
  const about =
    audience.kind === 'course'
      ? {
          relatedId: audience.course.id,
          relatedType: 'course',
          actionUrl: data.actionUrl ?? `/courses/${audience.course.id}`,
        }
      : { relatedId: null, relatedType: null, actionUrl: data.actionUrl ?? null };
  const recipients =
    audience.kind === 'person' ? [audience.recipient.id] : await courseStudentIds(ctx, sender, audience.course.id);
  const notificationIds = await fanOut(ctx, sender, recipients, {
    type: data.type ?? 'announcement',
    title: data.title,
    message: data.message,
    ...about,
  });
  return { notificationIds, count: notificationIds.length };
}
