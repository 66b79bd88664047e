/** Playback and video lists, with the visibility rules applied to every read. */
import { z } from 'zod';
import type { PageRequest, User, Video } from '~/data/repository';
import { parseInput } from '~/utils/validation';
import {
  requireAssignmentAccess,
  requireCourseMember,
  requireMayListOwner,
  requireUser,
  requireVideoAccess,
  requireVideoInteraction,
} from './access.server';
import type { ServiceContext } from './context';
import { displayName } from './users.server';
import { loadDiscussion } from './video-interactions.server';

export interface VideoView {
  id: string;
  videoId: string;
  title: string;
  description: string;
  userId: string;
  userName: string;
  userAvatar: string | null;
  courseId: string;
  courseName: string | null;
  assignmentId: string | null;
  submissionId: string | null;
  visibility: Video['visibility'];
  contentType: string;
  fileSize: number;
  duration: number | null;
  views: number;
  likes: number;
  comments: number;
  createdAt: string;
  /** The page that plays it. */
  pageUrl: string;
  /** A short-lived URL that streams the video itself (lists and GET /api/videos/:id). */
  videoUrl: string | null;
  thumbnailUrl: null;
}

function toVideoView(
  v: Video,
  owner: User | undefined,
  courseName: string | null,
  videoUrl: string | null = null,
): VideoView {
  return {
    id: v.id,
    videoId: v.id,
    title: v.title,
    description: v.description,
    userId: v.ownerId,
    userName: owner ? displayName(owner) : 'Unknown',
    userAvatar: owner?.avatar ?? null,
    courseId: v.courseId,
    courseName,
    assignmentId: v.assignmentId,
    submissionId: v.submissionId,
    visibility: v.visibility,
    contentType: v.contentType,
    fileSize: v.sizeBytes,
    duration: v.durationSeconds,
    views: v.viewCount,
    likes: v.likeCount,
    comments: v.commentCount,
    createdAt: v.createdAt,
    pageUrl: `/videos/${v.id}`,
    videoUrl,
    thumbnailUrl: null,
  };
}

function presignPlayback(ctx: ServiceContext, video: Video): Promise<string> {
  return ctx.storage.presignGet(video.storageKey, { responseContentType: video.contentType });
}

/**
 * The video page: metadata, a short-lived playback URL, one counted view per viewer per day,
 * and one page of its discussion (comments with replies, the like state), plus the viewer's
 * own other videos, which they may post as a response.
 */
export async function watchVideo(
  ctx: ServiceContext,
  actor: User | null,
  videoId: string,
  commentsPage: PageRequest = {},
) {
  const access = await requireVideoInteraction(ctx, actor, videoId);
  const { user, video, course, isInstructor, isOwner } = access;
  const day = ctx.now().toISOString().slice(0, 10);
  const [{ viewCount }, owner, assignment, playbackUrl, discussion, mine] = await Promise.all([
    ctx.repos.videos.recordView(video.id, user.id, day),
    ctx.repos.users.getById(video.ownerId),
    video.assignmentId ? ctx.repos.assignments.getById(video.assignmentId) : Promise.resolve(null),
    presignPlayback(ctx, video),
    loadDiscussion(ctx, access, commentsPage),
    ctx.repos.videos.listByOwner(user.id, { viewerId: user.id, includePrivate: true }, { limit: 20 }),
  ]);
  const view = toVideoView({ ...video, viewCount }, owner ?? undefined, course?.title ?? null, playbackUrl);
  return {
    video: view,
    playbackUrl,
    assignment: assignment ? { id: assignment.id, title: assignment.title, maxScore: assignment.maxScore } : null,
    canSeeSubmission: isInstructor || isOwner,
    isInstructor,
    discussion,
    responseChoices: mine.items.filter((v) => v.id !== video.id).map((v) => ({ id: v.id, title: v.title })),
  };
}

export async function getVideo(ctx: ServiceContext, actor: User | null, videoId: string): Promise<VideoView> {
  const { video, course } = await requireVideoAccess(ctx, actor, videoId);
  const [owner, url] = await Promise.all([ctx.repos.users.getById(video.ownerId), presignPlayback(ctx, video)]);
  return toVideoView(video, owner ?? undefined, course?.title ?? null, url);
}

const listSchema = z.object({
  courseId: z.string().optional(),
  assignmentId: z.string().optional(),
  userId: z.string().optional(),
});

/**
 * GET /api/videos: by assignment, course or owner. `userId` must be the caller unless the
 * caller is an admin; within a course, classmates see class-visible videos and their own.
 */
export async function listVideos(ctx: ServiceContext, actor: User | null, input: unknown, page: PageRequest = {}) {
  const user = requireUser(actor);
  const q = parseInput(listSchema, input);
  let result;
  if (q.assignmentId) {
    const { isInstructor } = await requireAssignmentAccess(ctx, user, q.assignmentId);
    result = await ctx.repos.videos.listByAssignment(
      q.assignmentId,
      { viewerId: user.id, includePrivate: isInstructor },
      page,
    );
  } else if (q.courseId) {
    const { isInstructor } = await requireCourseMember(ctx, user, q.courseId);
    result = await ctx.repos.videos.listByCourse(q.courseId, { viewerId: user.id, includePrivate: isInstructor }, page);
  } else {
    const ownerId = requireMayListOwner(user, q.userId);
    result = await ctx.repos.videos.listByOwner(ownerId, { viewerId: user.id, includePrivate: true }, page);
  }
  let items = result.items;
  if (q.userId && (q.assignmentId || q.courseId)) items = items.filter((v) => v.ownerId === q.userId);
  const [owners, courses] = await Promise.all([
    ctx.repos.users.getMany([...new Set(items.map((v) => v.ownerId))]),
    ctx.repos.courses.getMany([...new Set(items.map((v) => v.courseId))]),
  ]);
  const ownerById = new Map(owners.map((o) => [o.id, o]));
  const courseById = new Map(courses.map((c) => [c.id, c.title]));
  // Signing is local (HMAC), no request to S3: cheap enough per list item.
  const urls = await Promise.all(items.map((v) => presignPlayback(ctx, v)));
  return {
    videos: items.map((v, i) => toVideoView(v, ownerById.get(v.ownerId), courseById.get(v.courseId) ?? null, urls[i])),
    nextCursor: result.nextCursor,
  };
}
