/**
 * Pieces of hand-written SQL shared by the single-statement writes (likes, connection
 * requests): column lists that alias snake_case columns to the Prisma row shape (so the same
 * row mappers apply), and the "notify if the write happened" CTE.
 *
 * Why single statements: a data-modifying CTE makes "insert the like if absent, and only then
 * bump the counter and notify" one atomic statement — no interactive transaction holding a
 * connection across round trips (the embedded server has one), and no read-modify-write.
 */
import { newId } from '../ids';
import type { NewNotification } from '../repository';
import { Prisma } from '../../../generated/prisma/client';

export const USER_COLUMNS = Prisma.sql`id, email, first_name AS "firstName", last_name AS "lastName", role,
  password_hash AS "passwordHash", avatar, bio, student_id AS "studentId", department,
  email_verified AS "emailVerified", created_at AS "createdAt", updated_at AS "updatedAt"`;

export const INTERACTION_COLUMNS = Prisma.sql`id, target_type AS "targetType", video_id AS "videoId",
  post_id AS "postId", course_id AS "courseId", target_owner_id AS "targetOwnerId", user_id AS "userId",
  type, content, at_seconds AS "atSeconds", parent_id AS "parentId", response_video_id AS "responseVideoId",
  is_feedback AS "isFeedback", reply_count AS "replyCount", notify_owner_id AS "notifyOwnerId",
  created_at AS "createdAt"`;

export const CONNECTION_COLUMNS = Prisma.sql`id, requester_id AS "requesterId", requested_id AS "requestedId",
  status, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The typed-client row for a notification written at `at`. */
export function notificationData(n: NewNotification, at: Date) {
  return {
    id: newId(),
    recipientId: n.recipientId,
    senderId: n.senderId,
    senderName: n.senderName,
    type: n.type,
    title: n.title,
    message: n.message,
    relatedId: n.relatedId,
    relatedType: n.relatedType,
    actionUrl: n.actionUrl,
    isRead: false,
    createdAt: at,
  };
}

/**
 * `, notified AS (INSERT ...)`: a CTE that writes the notification only if the CTE named
 * `source` returned a row (the like / request / acceptance really happened). Postgres runs a
 * data-modifying CTE whether or not the main query reads it. null → nothing.
 */
export function notifyIfWritten(source: 'inserted' | 'accepted', n: NewNotification | null, at: Date): Prisma.Sql {
  if (!n) return Prisma.empty;
  return Prisma.sql`, notified AS (
    INSERT INTO notifications
      (id, recipient_id, sender_id, sender_name, type, title, message, related_id, related_type, action_url, is_read, created_at)
    SELECT ${newId()}, ${n.recipientId}, ${n.senderId}::text, ${n.senderName}::text, ${n.type}::notification_type,
      ${n.title}, ${n.message}, ${n.relatedId}::text, ${n.relatedType}::text, ${n.actionUrl}::text, false,
      ${at.toISOString()}::timestamptz
    WHERE EXISTS (SELECT 1 FROM ${Prisma.raw(source)})
    RETURNING id)`;
}
