/**
 * Pieces of hand-written SQL shared by the single-statement writes (likes, connection
 * requests): column lists that alias snake_case columns to the Prisma row shape (so the same
 * row mappers apply). The "notify if the write happened" CTE is in notification-sql.ts.
 *
 * Why single statements: a data-modifying CTE makes "insert the like if absent, and only then
 * bump the counter and notify" one atomic statement — no interactive transaction holding a
 * connection across round trips (the embedded server has one), and no read-modify-write.
 */
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
