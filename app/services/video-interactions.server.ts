/**
 * Talking about a video: comments (optionally at a moment), video responses, one level of
 * replies, likes, and the instructor's time-coded feedback on a submission. Whoever may
 * watch a video may discuss it (access.server.ts, "video interactions"); every write changes
 * the video's counters and writes its notification in the adapter's one transaction.
 */
import { z } from 'zod';
import type { InteractionRecord, NewNotification, PageRequest, User, Video } from '~/data/repository';
import { AppError, notFound } from '~/utils/errors';
import { parseMoment } from '~/utils/moment';
import { parseInput, tooLongMessage } from '~/utils/validation';
import {
  isSubmissionFeedback,
  mayDeleteVideoComment,
  requireOwnResponseVideo,
  requireSubmissionAccess,
  requireSubmissionGrader,
  requireVideoCommentDeleter,
  requireVideoInteraction,
  type VideoInteractionAccess,
} from './access.server';
import type { ServiceContext } from './context';
import { displayName, personSummary, type PersonSummary } from './people';
import type { InteractionView, VideoDiscussion } from './video-social-view';

export type { InteractionView, VideoDiscussion } from './video-social-view';

export const COMMENT_MAX_CHARS = 2000;
/** A video of unknown length may still be commented on at any moment of a day. */
const LONGEST_MOMENT_SECONDS = 24 * 3600;
/** Replies shown under each comment; one level deep, oldest first. */
const REPLIES_PER_COMMENT = 50;

type Ctx = Pick<ServiceContext, 'repos'>;

const UNKNOWN_AUTHOR: PersonSummary = { id: '', name: 'Former member', avatar: null, role: 'student' };

function toView(
  rec: InteractionRecord,
  authors: Map<string, PersonSummary>,
  access: VideoInteractionAccess,
): InteractionView {
  const author = authors.get(rec.userId) ?? { ...UNKNOWN_AUTHOR, id: rec.userId };
  return {
    id: rec.id,
    videoId: rec.videoId ?? rec.targetId,
    userId: rec.userId,
    userName: author.name,
    userAvatar: author.avatar,
    author,
    type: rec.type === 'response' ? 'response' : 'comment',
    content: rec.content ?? '',
    atSeconds: rec.atSeconds,
    parentId: rec.parentId,
    responseVideoId: rec.responseVideoId,
    isFeedback: rec.isFeedback,
    replyCount: rec.replyCount,
    createdAt: rec.createdAt,
    canDelete: mayDeleteVideoComment(access, rec),
  };
}

/**
 * One page of a video's discussion for a caller whose access is proved: top-level comments
 * newest first, each with its replies. A fixed number of reads whatever the page holds: the
 * comments and the caller's like together, ONE listReplies, ONE users.getMany.
 */
export async function loadDiscussion(
  ctx: Ctx,
  access: VideoInteractionAccess,
  page: PageRequest = {},
): Promise<VideoDiscussion> {
  const { video, user } = access;
  const [comments, liked] = await Promise.all([
    ctx.repos.interactions.listComments(access.target, page),
    ctx.repos.interactions.likedBy(user.id, [access.target]),
  ]);
  const replies = comments.items.length
    ? await ctx.repos.interactions.listReplies(comments.items, REPLIES_PER_COMMENT)
    : [];
  const authorIds = [...new Set([...comments.items, ...replies].map((r) => r.userId))];
  const people = authorIds.length ? await ctx.repos.users.getMany(authorIds) : [];
  const authors = new Map(people.map((p) => [p.id, personSummary(p)]));
  const repliesByParent = new Map<string, InteractionView[]>();
  for (const reply of replies) {
    if (!reply.parentId) continue;
    const list = repliesByParent.get(reply.parentId) ?? [];
    list.push(toView(reply, authors, access));
    repliesByParent.set(reply.parentId, list);
  }
  return {
    interactions: comments.items.map((c) => ({
      ...toView(c, authors, access),
      replies: repliesByParent.get(c.id) ?? [],
    })),
    nextCursor: comments.nextCursor,
    likes: video.likeCount,
    comments: video.commentCount,
    isLiked: liked.has(video.id),
  };
}

const listQuery = z.object({
  type: z
    .enum(['comment', 'response', 'like', 'rating'], { error: 'type must be comment or response.' })
    .optional()
    .refine((t) => t !== 'like' && t !== 'rating', {
      message: 'Only comments and responses are listed; the like count is on the video.',
    }),
});

/**
 * GET /api/videos/:id/interactions. `type` narrows the page to comments or responses after it
 * is read, so such a page may hold fewer than `limit` items; `nextCursor` still continues it.
 */
export async function listVideoInteractions(
  ctx: Ctx,
  actor: User | null,
  videoId: string,
  query: unknown,
  page: PageRequest = {},
): Promise<VideoDiscussion> {
  const access = await requireVideoInteraction(ctx, actor, videoId);
  const { type } = parseInput(listQuery, query);
  const discussion = await loadDiscussion(ctx, access, page);
  if (!type) return discussion;
  return { ...discussion, interactions: discussion.interactions.filter((i) => i.type === type) };
}

const optionalText = (v: unknown) => (v === '' || v === null ? undefined : v);

const momentSchema = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (parseMoment(v) ?? v)) : (v ?? undefined)),
  z
    .number({ error: 'Give the moment in seconds or as m:ss, such as 1:05.' })
    .finite()
    .min(0, 'The moment cannot be before the start of the video.')
    .optional(),
);

const idSchema = z.string().trim().min(1).max(100);

const commentSchema = z.object({
  type: z.preprocess(
    optionalText,
    z
      .enum(['comment', 'response', 'like', 'rating'], { error: 'type must be comment, response or like.' })
      .default('comment'),
  ),
  content: z.preprocess(
    (v) => v ?? '',
    z
      .string({ error: 'The comment must be text.' })
      .trim()
      .min(1, 'Write something first.')
      .max(COMMENT_MAX_CHARS, tooLongMessage('A comment', COMMENT_MAX_CHARS)),
  ),
  atSeconds: momentSchema,
  parentId: z.preprocess(optionalText, idSchema.optional()),
  responseVideoId: z.preprocess(optionalText, idSchema.optional()),
});

function fieldError(field: string, message: string): AppError {
  return new AppError('VALIDATION_ERROR', message, { fields: { [field]: [message] } });
}

function excerpt(text: string): string {
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function videoNotification(
  video: Video,
  sender: User,
  recipientId: string,
  type: NewNotification['type'],
  title: string,
  message: string,
): NewNotification | null {
  if (recipientId === sender.id) return null;
  return {
    recipientId,
    senderId: sender.id,
    senderName: displayName(sender),
    type,
    title,
    message,
    relatedId: video.id,
    relatedType: 'video',
    actionUrl: `/videos/${video.id}`,
  };
}

/**
 * Likes on one video collapse into ONE notification for its owner ("Ana and 4 others liked
 * your video …", see notification-text.ts): the sentence starts with the latest liker's name.
 */
function likeNotification(video: Video, sender: User): NewNotification | null {
  const like = videoNotification(
    video,
    sender,
    video.ownerId,
    'like',
    `New like on “${video.title}”`,
    `${displayName(sender)} liked your video “${video.title}”.`,
  );
  return like && { ...like, collapseKey: `like:video:${video.id}` };
}

/**
 * A reply concerns the comment's author first; replying under your own comment concerns the
 * video's owner instead. The port writes one notification per interaction, so when both are
 * other people only the comment's author is told.
 */
function replyNotification(video: Video, sender: User, parent: InteractionRecord, content: string) {
  const toAuthor = videoNotification(
    video,
    sender,
    parent.userId,
    'comment',
    `New reply on "${video.title}"`,
    `${displayName(sender)} replied to your comment: ${excerpt(content)}`,
  );
  return (
    toAuthor ??
    videoNotification(
      video,
      sender,
      video.ownerId,
      'comment',
      `New reply on "${video.title}"`,
      `${displayName(sender)} replied on your video: ${excerpt(content)}`,
    )
  );
}

async function requireTopLevelComment(ctx: Ctx, videoId: string, parentId: string): Promise<InteractionRecord> {
  const parent = await ctx.repos.interactions.getById(parentId);
  const isTopLevelHere =
    parent &&
    parent.targetType === 'video' &&
    parent.targetId === videoId &&
    parent.parentId === null &&
    (parent.type === 'comment' || parent.type === 'response');
  if (!isTopLevelHere) throw fieldError('parentId', 'You can only reply to a comment on this video.');
  return parent;
}

export type PostedInteraction =
  { kind: 'comment'; interaction: InteractionView } | { kind: 'like'; liked: boolean; likeCount: number };

/** POST /api/videos/:id/interactions: a comment or response, or (type like) the like toggle. */
export async function postVideoInteraction(
  ctx: Ctx,
  actor: User | null,
  videoId: string,
  input: Record<string, unknown>,
): Promise<PostedInteraction> {
  if (input.type === 'like') {
    const { liked, likeCount } = await likeVideo(ctx, actor, videoId, input);
    return { kind: 'like', liked, likeCount };
  }
  return { kind: 'comment', interaction: await addVideoComment(ctx, actor, videoId, input) };
}

export async function addVideoComment(
  ctx: Ctx,
  actor: User | null,
  videoId: string,
  input: Record<string, unknown>,
): Promise<InteractionView> {
  const access = await requireVideoInteraction(ctx, actor, videoId);
  const { user, video } = access;
  // Said before anything else, so a client sending the original's rating learns why.
  if (input.type === 'rating') throw fieldError('type', 'Ratings are not supported; like or comment instead.');
  const data = parseInput(commentSchema, input);
  if (data.type === 'rating' || data.type === 'like') {
    throw fieldError('type', 'Use the like endpoint to like a video.');
  }
  const longest = video.durationSeconds != null ? Math.ceil(video.durationSeconds) : LONGEST_MOMENT_SECONDS;
  if (data.atSeconds !== undefined && data.atSeconds > longest) {
    throw fieldError('atSeconds', 'That moment is past the end of the video.');
  }
  const parent = data.parentId ? await requireTopLevelComment(ctx, video.id, data.parentId) : null;
  let responseVideoId: string | null = null;
  if (data.type === 'response') {
    if (!data.responseVideoId) throw fieldError('responseVideoId', 'Choose the video you respond with.');
    if (data.responseVideoId === video.id) {
      throw fieldError('responseVideoId', 'A video cannot respond to itself.');
    }
    responseVideoId = (await requireOwnResponseVideo(ctx, user, data.responseVideoId)).id;
  }
  const isFeedback = isSubmissionFeedback(access);
  const notification = parent
    ? replyNotification(video, user, parent, data.content)
    : data.type === 'response'
      ? videoNotification(
          video,
          user,
          video.ownerId,
          'response',
          `A video response to "${video.title}"`,
          `${displayName(user)} responded with a video: ${excerpt(data.content)}`,
        )
      : videoNotification(
          video,
          user,
          video.ownerId,
          'comment',
          isFeedback ? `Feedback on "${video.title}"` : `New comment on "${video.title}"`,
          `${displayName(user)} ${isFeedback ? 'left feedback' : 'commented'}: ${excerpt(data.content)}`,
        );
  const created = await ctx.repos.interactions.addComment(
    {
      target: access.target,
      userId: user.id,
      type: parent ? 'comment' : data.type,
      content: data.content,
      atSeconds: data.atSeconds ?? null,
      parentId: parent?.id ?? null,
      responseVideoId,
      isFeedback,
    },
    notification,
  );
  return toView(created, new Map([[user.id, personSummary(user)]]), access);
}

/** Deletes a comment or response (with its replies): its author, or the course's moderators. */
export async function deleteVideoComment(
  ctx: Ctx,
  actor: User | null,
  videoId: string,
  interactionId: string,
): Promise<void> {
  const access = await requireVideoInteraction(ctx, actor, videoId);
  const comment = await ctx.repos.interactions.getById(interactionId);
  const isCommentHere =
    comment &&
    comment.targetType === 'video' &&
    comment.targetId === access.video.id &&
    (comment.type === 'comment' || comment.type === 'response');
  if (!isCommentHere) throw notFound('Comment');
  requireVideoCommentDeleter(access, comment);
  await ctx.repos.interactions.deleteComment(comment.id);
}

const likeSchema = z.object({
  isLiked: z.preprocess(
    (v) => (v === 'true' ? true : v === 'false' ? false : v === '' || v === null ? undefined : v),
    z.boolean({ error: 'isLiked must be true or false.' }).optional(),
  ),
});

/** Absent `isLiked` toggles (the original's contract); true/false sets, so a retry is harmless. */
export async function likeVideo(ctx: Ctx, actor: User | null, videoId: string, input: Record<string, unknown>) {
  const access = await requireVideoInteraction(ctx, actor, videoId);
  const { user, video } = access;
  const { isLiked } = parseInput(likeSchema, { isLiked: input.isLiked ?? input.liked });
  return ctx.repos.interactions.setLike({
    target: access.target,
    userId: user.id,
    liked: isLiked,
    notification: likeNotification(video, user),
  });
}

/** The instructor's time-coded feedback, posted from the submission page. */
export async function addSubmissionFeedback(
  ctx: Ctx,
  actor: User | null,
  submissionId: string,
  input: Record<string, unknown>,
): Promise<InteractionView> {
  const { submission } = await requireSubmissionGrader(ctx, actor, submissionId);
  return addVideoComment(ctx, actor, submission.videoId, { ...input, type: 'comment', parentId: undefined });
}

/** Deleting from the submission page: whoever may open the submission, then the usual rule. */
export async function deleteSubmissionComment(
  ctx: Ctx,
  actor: User | null,
  submissionId: string,
  interactionId: string,
): Promise<void> {
  const { submission } = await requireSubmissionAccess(ctx, actor, submissionId);
  await deleteVideoComment(ctx, actor, submission.videoId, interactionId);
}
