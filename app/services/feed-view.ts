/**
 * The student feed's shapes: shared by the service that builds them, the JSON API and the
 * feed cards (types only, so components may import them). Key names follow the original
 * API's FeedItem (`id, type, timestamp` + per-type fields); `interaction` items and `url`
 * are ours.
 */
import type { PersonSummary } from './people';

interface FeedItemBase {
  /** The record's own id (video, post, assignment or interaction). */
  id: string;
  /** When it happened: created, or published for an assignment. ISO-8601. */
  timestamp: string;
  /** Our page that opens it. */
  url: string;
  courseId: string;
  courseName: string;
}

export interface VideoFeedItem extends FeedItemBase {
  type: 'video';
  /** The video page (`/videos/:id`), never a storage URL: playback URLs are short-lived. */
  videoUrl: string;
  /** No thumbnails are generated yet: cards show a neutral poster with the title. */
  thumbnailUrl: null;
  title: string;
  assignmentId: string | null;
  author: PersonSummary;
  likes: number;
  comments: number;
  isLiked: boolean;
}

export interface CommunityFeedItem extends FeedItemBase {
  type: 'community';
  title: string;
  content: string;
  isAnnouncement: boolean;
  author: PersonSummary;
  likes: number;
  comments: number;
  isLiked: boolean;
}

export type FeedAssignmentStatus = 'past_due' | 'upcoming' | 'active';

export interface AssignmentFeedItem extends FeedItemBase {
  type: 'assignment';
  title: string;
  description: string;
  dueDate: string;
  status: FeedAssignmentStatus;
}

export type FeedInteractionAction = 'like' | 'comment' | 'response';

/** Someone else liked, commented on or answered one of the student's videos or posts. */
export interface InteractionFeedItem extends FeedItemBase {
  type: 'interaction';
  actor: PersonSummary;
  action: FeedInteractionAction;
  /** The comment's text; null for a like. */
  content: string | null;
  /** A time-coded comment's moment in the video. */
  atSeconds: number | null;
  target: { type: 'video' | 'post'; id: string; title: string; url: string };
}

export type FeedItem = VideoFeedItem | CommunityFeedItem | AssignmentFeedItem | InteractionFeedItem;

export interface FeedCourse {
  courseId: string;
  name: string;
  initials: string;
  code: string;
  /** Always 0 until notifications are delivered per course (the messaging and notifications issue). */
  unreadCount: number;
}

export interface StudentFeed {
  feed: FeedItem[];
  courses: FeedCourse[];
  nextCursor: string | null;
}
