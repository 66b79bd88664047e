/**
 * Comments on community posts, with replies one level deep. A page of comments costs one
 * read of the comments, one of their replies and one batch read of every author on it.
 */
import { z } from 'zod';
import type { InteractionRecord, NewNotification, PageRequest, User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requirePostAccess, requirePostCommentDeleter, requireUser, type PostAccess } from './access.server';
import { commentContent, idField } from './community-input';
import type { PostCommentView } from './community-view';
import type { ServiceContext } from './context';
import { displayName, personSummary } from './people';
import { postPageUrl, postTarget } from './posts.server';

/** Replies shown under each comment; the rest are counted (replyCount). */
export const REPLIES_PER_COMMENT = 50;

export type { PostCommentView };

interface Viewer {
  user: User;
  mayModerate: boolean;
}

function toCommentView(c: InteractionRecord, author: User | undefined, viewer: Viewer): PostCommentView {
  const person = author ? personSummary(author) : null;
  return {
    id: c.id,
    postId: c.targetId,
    parentId: c.parentId,
    content: c.content ?? '',
    userId: c.userId,
    author: person?.name ?? 'Former member',
    authorAvatar: person?.avatar ?? null,
    authorRole: person?.role ?? null,
    replyCount: c.replyCount,
    timestamp: c.createdAt,
    canDelete: c.userId === viewer.user.id || viewer.mayModerate,
    replies: [],
  };
}

/** Top-level comments newest first, each with its replies oldest first. */
export async function listPostComments(
  ctx: ServiceContext,
  actor: User | null,
  postId: string,
  page: PageRequest = {},
): Promise<{ comments: PostCommentView[]; nextCursor: string | null }> {
  return commentsOfPost(ctx, await requirePostAccess(ctx, actor, postId), page);
}

/** A page of comments of a post whose access is already proved. */
export async function commentsOfPost(
  ctx: ServiceContext,
  access: Pick<PostAccess, 'user' | 'post' | 'mayModerate'>,
  page: PageRequest = {},
): Promise<{ comments: PostCommentView[]; nextCursor: string | null }> {
  const result = await ctx.repos.interactions.listComments({ type: 'post', id: access.post.id }, page);
  const withReplies = result.items.filter((c) => c.replyCount > 0);
  const replies = withReplies.length ? await ctx.repos.interactions.listReplies(withReplies, REPLIES_PER_COMMENT) : [];
  const authorIds = new Set([...result.items, ...replies].map((c) => c.userId));
  const authors = authorIds.size ? await ctx.repos.users.getMany([...authorIds]) : [];
  const authorById = new Map(authors.map((a) => [a.id, a]));
  const views = result.items.map((c) => toCommentView(c, authorById.get(c.userId), access));
  const byId = new Map(views.map((v) => [v.id, v]));
  for (const reply of replies) {
    if (reply.parentId)
      byId.get(reply.parentId)?.replies.push(toCommentView(reply, authorById.get(reply.userId), access));
  }
  return { comments: views, nextCursor: result.nextCursor };
}

function replyRefusal(message: string): AppError {
  return new AppError('VALIDATION_ERROR', message, { fields: { parentId: [message] } });
}

/** What a reply answers: a top-level comment of the same post (replies go one level deep). */
async function replyParent(ctx: ServiceContext, postId: string, parentId: string): Promise<InteractionRecord> {
  const parent = await ctx.repos.interactions.getById(parentId);
  if (!parent || parent.targetType !== 'post' || parent.targetId !== postId || parent.type === 'like') {
    throw replyRefusal('The comment you are replying to is not on this post.');
  }
  if (parent.parentId) throw replyRefusal('Replies go one level deep: reply to the comment itself.');
  return parent;
}

const commentSchema = z.object({
  content: commentContent,
  parentId: z.preprocess((v) => (v === '' || v === null ? undefined : v), idField('parentId').optional()),
});

/**
 * A comment, or a reply to a top-level comment of the same post. The post's author hears of
 * a comment, the parent's author of a reply — nobody of their own words.
 */
export async function addPostComment(
  ctx: ServiceContext,
  actor: User | null,
  postId: string,
  input: unknown,
): Promise<PostCommentView> {
  const user = requireUser(actor);
  const { content, parentId } = parseInput(commentSchema, input);
  const access = await requirePostAccess(ctx, user, postId);
  const parent = parentId ? await replyParent(ctx, access.post.id, parentId) : null;
  const { post } = access;
  const recipientId = parent ? parent.userId : post.authorId;
  const name = displayName(user);
  const notification: NewNotification | null =
    recipientId === user.id
      ? null
      : {
          recipientId,
          senderId: user.id,
          senderName: name,
          type: 'comment',
          title: parent ? 'New reply' : 'New comment',
          message: parent
            ? `${name} replied to your comment on “${post.title}”.`
            : `${name} commented on your post “${post.title}”.`,
          relatedId: post.id,
          relatedType: 'post',
          actionUrl: postPageUrl(post.id),
        };
  const comment = await ctx.repos.interactions.addComment(
    { target: postTarget(post), userId: user.id, type: 'comment', content, parentId: parent?.id ?? null },
    notification,
  );
  return toCommentView(comment, user, access);
}

export async function deletePostComment(
  ctx: ServiceContext,
  actor: User | null,
  postId: string,
  commentId: string,
): Promise<void> {
  const { comment } = await requirePostCommentDeleter(ctx, actor, postId, commentId);
  await ctx.repos.interactions.deleteComment(comment.id);
}
