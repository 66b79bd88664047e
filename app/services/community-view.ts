/**
 * The shapes community posts and comments are shown in, and their length limits: built and
 * enforced by the posts services, read by the API and the pages' components (no server
 * code here, so components may import it).
 */
import type { Role } from '~/data/repository';

export const POST_TITLE_MAX = 200;
export const POST_BODY_MAX = 10_000;
export const COMMENT_MAX = 2000;

/** A post as the API and the pages show it (the original's keys, plus ids clients need). */
export interface PostView {
  id: string;
  courseId: string;
  title: string;
  content: string;
  authorId: string;
  author: string;
  authorAvatar: string | null;
  authorRole: Role | null;
  isAnnouncement: boolean;
  likes: number;
  comments: number;
  isLiked: boolean;
  timestamp: string;
  updatedAt: string;
}

export interface PostCommentView {
  id: string;
  postId: string;
  parentId: string | null;
  content: string;
  userId: string;
  author: string;
  authorAvatar: string | null;
  authorRole: Role | null;
  replyCount: number;
  timestamp: string;
  /** The viewer may delete it (its author or a moderator). */
  canDelete: boolean;
  replies: PostCommentView[];
}
