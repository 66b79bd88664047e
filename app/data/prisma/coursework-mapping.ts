/**
 * Row -> domain conversions for assignments, videos, submissions, interactions and
 * notifications. Timestamps become ISO strings; BIGINT byte sizes become plain numbers
 * (exact up to 2^53 bytes); scores and grades are double precision, already numbers.
 */
import type { Assignment, InteractionRecord, Notification, Submission, Video } from '../repository';
import type { WireRow } from './statements';
import type {
  Assignment as AssignmentRow,
  Interaction as InteractionRow,
  Notification as NotificationRow,
  Submission as SubmissionRow,
  Video as VideoRow,
} from '../../../generated/prisma/client';

const iso = (date: Date): string => date.toISOString();

export function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    courseId: row.courseId,
    instructorId: row.instructorId,
    title: row.title,
    description: row.description,
    dueDate: iso(row.dueDate),
    maxScore: row.maxScore,
    status: row.status,
    visibility: row.visibility,
    publishedAt: row.publishedAt && iso(row.publishedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toVideo(row: WireRow<VideoRow>): Video {
  return {
    id: row.id,
    ownerId: row.ownerId,
    courseId: row.courseId,
    assignmentId: row.assignmentId,
    submissionId: row.submissionId,
    title: row.title,
    description: row.description,
    storageKey: row.storageKey,
    contentType: row.contentType,
    sizeBytes: Number(row.sizeBytes),
    durationSeconds: row.durationSeconds,
    visibility: row.visibility,
    viewCount: row.viewCount,
    likeCount: row.likeCount,
    commentCount: row.commentCount,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toSubmission(row: WireRow<SubmissionRow>): Submission {
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    courseId: row.courseId,
    studentId: row.studentId,
    videoId: row.videoId,
    videoTitle: row.videoTitle,
    videoDescription: row.videoDescription,
    fileName: row.fileName,
    fileSize: Number(row.fileSize),
    fileType: row.fileType,
    durationSeconds: row.durationSeconds,
    isLate: row.isLate,
    status: row.status,
    grade: row.grade,
    instructorFeedback: row.instructorFeedback,
    gradedBy: row.gradedBy,
    gradedAt: row.gradedAt && iso(row.gradedAt),
    submittedAt: iso(row.submittedAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toInteraction(row: InteractionRow): InteractionRecord {
  return {
    id: row.id,
    targetType: row.targetType,
    targetId: (row.targetType === 'post' ? row.postId : row.videoId) ?? '',
    videoId: row.videoId,
    postId: row.postId,
    courseId: row.courseId,
    targetOwnerId: row.targetOwnerId,
    userId: row.userId,
    type: row.type,
    content: row.content,
    atSeconds: row.atSeconds,
    parentId: row.parentId,
    responseVideoId: row.responseVideoId,
    isFeedback: row.isFeedback,
    replyCount: row.replyCount,
    createdAt: iso(row.createdAt),
  };
}

export function toNotification(row: Omit<NotificationRow, 'actorIds'> & { actorIds: string[] | null }): Notification {
  return {
    id: row.id,
    recipientId: row.recipientId,
    senderId: row.senderId,
    senderName: row.senderName,
    type: row.type,
    title: row.title,
    message: row.message,
    relatedId: row.relatedId,
    relatedType: row.relatedType,
    actionUrl: row.actionUrl,
    isRead: row.isRead,
    createdAt: iso(row.createdAt),
    // Plain notifications store no actors; a collapsed one lists each distinct sender once.
    actorCount: Math.max(1, row.actorIds?.length ?? 0),
  };
}
