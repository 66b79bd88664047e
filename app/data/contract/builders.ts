/**
 * Inputs the contract parts build their rows from, so each part states only what its test
 * is about (a due date, a time, a visibility) and every adapter gets the same rows.
 */
import { newId } from '../ids';
import type {
  Assignment,
  InteractionTarget,
  NewAssignment,
  NewNotification,
  NewPost,
  NewSubmissionBundle,
  NotificationType,
  Post,
  User,
  Video,
  Visibility,
} from '../repository';

const DAY_MS = 86_400_000;

/** A published, class-visible assignment due in a week, unless `overrides` say otherwise. */
export function assignmentInput(
  courseId: string,
  instructorId: string,
  overrides: Partial<NewAssignment> = {},
): NewAssignment {
  return {
    courseId,
    instructorId,
    title: 'Explain photosynthesis',
    description: 'Two minutes, on camera.',
    dueDate: new Date(Date.now() + 7 * DAY_MS).toISOString(),
    maxScore: 10,
    status: 'published',
    visibility: 'class',
    ...overrides,
  };
}

/** What finalize writes for one upload: the submission and its video, sharing one id. */
export function submissionBundle(
  a: Assignment,
  student: User,
  overrides: { visibility?: Visibility; at?: Date } = {},
): NewSubmissionBundle {
  const id = newId();
  const at = (overrides.at ?? new Date()).toISOString();
  return {
    submission: {
      id,
      assignmentId: a.id,
      courseId: a.courseId,
      studentId: student.id,
      videoId: id,
      videoTitle: `${student.firstName}'s answer`,
      videoDescription: 'My take',
      fileName: 'answer.mp4',
      fileSize: 12345,
      fileType: 'video/mp4',
      durationSeconds: 42,
      isLate: false,
      submittedAt: at,
    },
    video: {
      id,
      ownerId: student.id,
      courseId: a.courseId,
      assignmentId: a.id,
      submissionId: id,
      title: `${student.firstName}'s answer`,
      description: 'My take',
      storageKey: `videos/${a.courseId}/${id}.mp4`,
      contentType: 'video/mp4',
      sizeBytes: 12345,
      durationSeconds: 42,
      visibility: overrides.visibility ?? a.visibility,
    },
  };
}

/** What the service proves about a video before it comments on or likes it. */
export function videoTarget(video: Pick<Video, 'id' | 'courseId' | 'ownerId'>): InteractionTarget {
  return { type: 'video', id: video.id, courseId: video.courseId, ownerId: video.ownerId };
}

export function postTarget(post: Pick<Post, 'id' | 'courseId' | 'authorId'>): InteractionTarget {
  return { type: 'post', id: post.id, courseId: post.courseId, ownerId: post.authorId };
}

export function postInput(courseId: string, authorId: string, overrides: Partial<NewPost> = {}): NewPost {
  return {
    courseId,
    authorId,
    title: 'Study group tonight?',
    body: 'Library, 7pm.',
    isAnnouncement: false,
    ...overrides,
  };
}

/** The notification a like/comment/request writes for `recipient`, sent by `sender`. */
export function notificationFor(
  recipient: Pick<User, 'id'>,
  sender: Pick<User, 'id' | 'firstName'>,
  type: NotificationType,
  relatedId: string | null = null,
): NewNotification {
  return {
    recipientId: recipient.id,
    senderId: sender.id,
    senderName: sender.firstName,
    type,
    title: `New ${type}`,
    message: `${sender.firstName}: ${type}`,
    relatedId,
    relatedType: null,
    actionUrl: null,
  };
}
