/** Shapes of a video's discussion, shared by the service and its components (types only). */
import type { PersonSummary } from './people';

export interface InteractionView {
  id: string;
  videoId: string;
  userId: string;
  userName: string;
  userAvatar: string | null;
  author: PersonSummary;
  type: 'comment' | 'response';
  content: string;
  atSeconds: number | null;
  parentId: string | null;
  responseVideoId: string | null;
  isFeedback: boolean;
  replyCount: number;
  createdAt: string;
  /** The caller is its author or moderates the course. */
  canDelete: boolean;
  /** Top-level comments only. */
  replies?: InteractionView[];
}

export interface VideoDiscussion {
  interactions: InteractionView[];
  nextCursor: string | null;
  likes: number;
  comments: number;
  isLiked: boolean;
}

export interface GalleryVideo {
  id: string;
  title: string;
  author: PersonSummary;
  isOwn: boolean;
  likes: number;
  comments: number;
  createdAt: string;
  /** The video itself with a `#t=` fragment: its first frame stands in for a thumbnail. */
  posterUrl: string;
  contentType: string;
  pageUrl: string;
}

export interface GalleryPage {
  videos: GalleryVideo[];
  nextCursor: string | null;
}
