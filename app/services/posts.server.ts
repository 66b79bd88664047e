/**
 * Community posts of a course: listing, writing, editing, deleting and liking. Who may do
 * which is decided in access.server.ts (section "community posts"); this module shapes the
 * data and writes it. Authors are looked up in ONE users.getMany per page and "liked by
 * me" in ONE likedBy, whatever the page size.
 */
import { z } from 'zod';
import type { Course, InteractionTarget, NewNotification, PageRequest, Post, User } from '~/data/repository';
import { parseInput } from '~/utils/validation';
import {
  requireCourseMember,
  requirePostAccess,
  requirePostAuthor,
  requirePostDeleter,
  requirePostEditor,
  requireUser,
  type PostAccess,
  requireOpenCourse,
} from './access.server';
import { flag, idField, postBody, postTitle } from './community-input';
import type { PostView } from './community-view';
import type { ServiceContext } from './context';
import { displayName, personSummary } from './people';

export type { PostView };

export function postTarget(post: Pick<Post, 'id' | 'courseId' | 'authorId'>): InteractionTarget {
  return { type: 'post', id: post.id, courseId: post.courseId, ownerId: post.authorId };
}

export function postPageUrl(postId: string): string {
  return `/community/posts/${postId}`;
}

function toPostView(post: Post, author: User | undefined, isLiked: boolean): PostView {
  const person = author ? personSummary(author) : null;
  return {
    id: post.id,
    courseId: post.courseId,
    title: post.title,
    content: post.body,
    authorId: post.authorId,
    author: person?.name ?? 'Former member',
    authorAvatar: person?.avatar ?? null,
    authorRole: person?.role ?? null,
    isAnnouncement: post.isAnnouncement,
    likes: post.likeCount,
    comments: post.commentCount,
    isLiked,
    timestamp: post.createdAt,
    updatedAt: post.updatedAt,
  };
}

/** Views for many posts: one batch read of authors, one of the viewer's likes. */
async function toPostViews(ctx: ServiceContext, viewer: User, posts: Post[]): Promise<PostView[]> {
  if (!posts.length) return [];
  const [authors, liked] = await Promise.all([
    ctx.repos.users.getMany([...new Set(posts.map((p) => p.authorId))]),
    ctx.repos.interactions.likedBy(
      viewer.id,
      posts.map((p) => ({ type: 'post' as const, id: p.id })),
    ),
  ]);
  const authorById = new Map(authors.map((a) => [a.id, a]));
  return posts.map((p) => toPostView(p, authorById.get(p.authorId), liked.has(p.id)));
}

const listSchema = z.object({ courseId: idField('courseId') });

/** GET /api/community/posts: a course's posts, newest first, for its members. */
export async function listCoursePosts(
  ctx: ServiceContext,
  actor: User | null,
  input: unknown,
  page: PageRequest = {},
): Promise<{ posts: PostView[]; nextCursor: string | null; course: Course; mayAnnounce: boolean }> {
  const user = requireUser(actor);
  const { courseId } = parseInput(listSchema, input);
  const { course, isInstructor } = await requireCourseMember(ctx, user, courseId);
  const result = await ctx.repos.posts.listByCourse(courseId, page);
  return {
    posts: await toPostViews(ctx, user, result.items),
    nextCursor: result.nextCursor,
    course,
    mayAnnounce: isInstructor,
  };
}

/** The view of a post whose access is already proved. */
export async function viewOfPost(ctx: ServiceContext, access: Pick<PostAccess, 'user' | 'post'>): Promise<PostView> {
  const [view] = await toPostViews(ctx, access.user, [access.post]);
  return view;
}

export async function getPost(ctx: ServiceContext, actor: User | null, postId: string): Promise<PostView> {
  return viewOfPost(ctx, await requirePostAccess(ctx, actor, postId));
}

const createSchema = z.object({
  courseId: idField('courseId'),
  title: postTitle,
  content: postBody,
  isAnnouncement: flag.optional().default(false),
});

export async function createPost(ctx: ServiceContext, actor: User | null, input: unknown): Promise<PostView> {
  const user = requireUser(actor);
  const values = parseInput(createSchema, input);
  const { course } = await requirePostAuthor(ctx, user, values.courseId, values.isAnnouncement);
  requireOpenCourse(course);
  const post = await ctx.repos.posts.create({
    courseId: values.courseId,
    authorId: user.id,
    title: values.title,
    body: values.content,
    isAnnouncement: values.isAnnouncement,
  });
  return toPostView(post, user, false);
}

const patchSchema = z.object({
  title: postTitle.optional(),
  content: postBody.optional(),
  isAnnouncement: flag.optional(),
});

/** PATCH: the author rewrites title/body; a moderator toggles the announcement flag. */
export async function updatePost(
  ctx: ServiceContext,
  actor: User | null,
  postId: string,
  input: unknown,
): Promise<PostView> {
  const user = requireUser(actor);
  const values = parseInput(patchSchema, input);
  const patch = { title: values.title, body: values.content, isAnnouncement: values.isAnnouncement };
  const { post } = await requirePostEditor(ctx, user, postId, patch);
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const updated = Object.keys(changes).length ? await ctx.repos.posts.update(post.id, changes) : post;
  const [view] = await toPostViews(ctx, user, [updated]);
  return view;
}

export async function deletePost(
  ctx: ServiceContext,
  actor: User | null,
  postId: string,
): Promise<{ courseId: string }> {
  const { post } = await requirePostDeleter(ctx, actor, postId);
  await ctx.repos.posts.delete(post.id);
  return { courseId: post.courseId };
}

const likeSchema = z.object({ isLiked: flag.optional() });

/** POST /like: `isLiked` sets the state, absent toggles. The author hears of a new like, unless it is theirs. */
export async function likePost(
  ctx: ServiceContext,
  actor: User | null,
  postId: string,
  input: unknown,
): Promise<{ likes: number; isLiked: boolean }> {
  const user = requireUser(actor);
  const { isLiked } = parseInput(likeSchema, input);
  const { post } = await requirePostAccess(ctx, user, postId);
  const notification: NewNotification | null =
    post.authorId === user.id
      ? null
      : {
          recipientId: post.authorId,
          senderId: user.id,
          senderName: displayName(user),
          type: 'like',
          title: `New like on “${post.title}”`,
          // Starts with the liker's name: collapsed likes read "Ana and 4 others liked …".
          message: `${displayName(user)} liked your post “${post.title}”.`,
          relatedId: post.id,
          relatedType: 'post',
          actionUrl: postPageUrl(post.id),
          collapseKey: `like:post:${post.id}`,
        };
  const state = await ctx.repos.interactions.setLike({
    target: postTarget(post),
    userId: user.id,
    liked: isLiked,
    notification,
  });
  return { likes: state.likeCount, isLiked: state.liked };
}
