/**
 * Column lists of hand-written SQL, aliasing snake_case columns to the Prisma row shape so the
 * same row mappers apply to typed and raw reads. Plain text: the prepared reads
 * (statements.ts) use them as they are, the raw Prisma queries through Prisma.raw.
 */
export const USER = `id, email, first_name AS "firstName", last_name AS "lastName", role::text AS role,
  password_hash AS "passwordHash", avatar, bio, student_id AS "studentId", department,
  email_verified AS "emailVerified", cognito_sub AS "cognitoSub", disabled_at AS "disabledAt",
  mail_grades AS "mailGrades", mail_messages AS "mailMessages", mail_announcements AS "mailAnnouncements",
  mail_digest AS "mailDigest", created_at AS "createdAt", updated_at AS "updatedAt"`;

export const AUTH_SESSION = `id, user_id AS "userId", generation, revoked, expires_at AS "expiresAt",
  created_at AS "createdAt", user_agent AS "userAgent", last_seen_at AS "lastSeenAt"`;

export const COURSE = `id, title, code, description, instructor_id AS "instructorId", join_code AS "joinCode",
  archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export const ENROLLMENT = `course_id AS "courseId", user_id AS "userId", role::text AS role,
  created_at AS "createdAt"`;

export const ASSIGNMENT = `id, course_id AS "courseId", instructor_id AS "instructorId",
  title, description, due_date AS "dueDate", max_score AS "maxScore", status::text AS status,
  visibility::text AS visibility, published_at AS "publishedAt", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export const SUBMISSION = `id, assignment_id AS "assignmentId", course_id AS "courseId", student_id AS "studentId",
  video_id AS "videoId", video_title AS "videoTitle", video_description AS "videoDescription",
  file_name AS "fileName", file_size AS "fileSize", file_type AS "fileType",
  duration_seconds AS "durationSeconds", is_late AS "isLate", status::text AS status, grade,
  instructor_feedback AS "instructorFeedback", graded_by AS "gradedBy", graded_at AS "gradedAt",
  submitted_at AS "submittedAt", updated_at AS "updatedAt"`;

export const VIDEO = `id, owner_id AS "ownerId", course_id AS "courseId",
  assignment_id AS "assignmentId", submission_id AS "submissionId", title, description,
  storage_key AS "storageKey", content_type AS "contentType", size_bytes AS "sizeBytes",
  duration_seconds AS "durationSeconds", visibility::text AS visibility, view_count AS "viewCount",
  like_count AS "likeCount", comment_count AS "commentCount", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export const POST = `id, course_id AS "courseId", author_id AS "authorId", title, body,
  is_announcement AS "isAnnouncement", like_count AS "likeCount", comment_count AS "commentCount",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export const INTERACTION = `id, target_type::text AS "targetType", video_id AS "videoId",
  post_id AS "postId", course_id AS "courseId", target_owner_id AS "targetOwnerId", user_id AS "userId",
  type::text AS type, content, at_seconds AS "atSeconds", parent_id AS "parentId",
  response_video_id AS "responseVideoId", is_feedback AS "isFeedback", reply_count AS "replyCount",
  notify_owner_id AS "notifyOwnerId", created_at AS "createdAt"`;

export const CONNECTION = `id, requester_id AS "requesterId", requested_id AS "requestedId",
  status::text AS status, created_at AS "createdAt", updated_at AS "updatedAt"`;

export const NOTIFICATION = `id, recipient_id AS "recipientId", sender_id AS "senderId",
  sender_name AS "senderName", type::text AS type, title, message, related_id AS "relatedId",
  related_type AS "relatedType", action_url AS "actionUrl", is_read AS "isRead", created_at AS "createdAt",
  COALESCE(actor_ids, '{}'::text[]) AS "actorIds"`;

export const MESSAGE = `id, conversation_id AS "conversationId", from_user_id AS "fromUserId",
  to_user_id AS "toUserId", content, created_at AS "createdAt", read`;

export const CONVERSATION = `user_id AS "userId", other_user_id AS "otherUserId", conversation_id AS "conversationId",
  last_message_id AS "lastMessageId", last_message AS "lastMessage", last_from_user_id AS "lastFromUserId",
  last_at AS "lastAt", unread_count AS "unreadCount"`;

export const ACCOUNT_TOKEN = `id, user_id AS "userId", purpose, token_hash AS "tokenHash", email,
  expires_at AS "expiresAt", used_at AS "usedAt", created_at AS "createdAt"`;
