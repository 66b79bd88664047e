/** What the community pages show, assembled from the posts and comments services. */
import type { PageRequest, User } from '~/data/repository';
import { requirePostAccess, requirePostDeleter, requirePostEditor, requireUser } from './access.server';
import type { ServiceContext } from './context';
import { commentsOfPost } from './post-comments.server';
import { listCoursePosts, viewOfPost } from './posts.server';

/** Courses a community page offers to switch between (a member's first 100 courses). */
const COURSE_MENU_SIZE = 100;

export interface CommunityCourse {
  id: string;
  title: string;
  code: string;
}

const courseSummary = (c: CommunityCourse): CommunityCourse => ({ id: c.id, title: c.title, code: c.code });

/**
 * /community: the caller's courses and one course's posts — `courseId`, else the first of
 * the caller's courses. A course they are not in is refused by the posts rules (403).
 */
export async function getCommunityPage(
  ctx: ServiceContext,
  actor: User | null,
  courseId: string | null,
  page: PageRequest = {},
) {
  const user = requireUser(actor);
  const enrolments = await ctx.repos.enrollments.listByUser(user.id, { limit: COURSE_MENU_SIZE });
  const courseIds = enrolments.items.map((e) => e.courseId);
  const selectedId = courseId ?? courseIds[0] ?? null;
  const [courses, selected] = await Promise.all([
    ctx.repos.courses.getMany(courseIds),
    selectedId ? listCoursePosts(ctx, user, { courseId: selectedId }, page) : null,
  ]);
  const byId = new Map(courses.map((c) => [c.id, c]));
  const menu = courseIds.flatMap((id) => {
    const c = byId.get(id);
    return c ? [courseSummary(c)] : [];
  });
  if (!selected) return { courses: menu, course: null, posts: [], nextCursor: null, mayAnnounce: false };
  return {
    courses: menu,
    course: courseSummary(selected.course),
    posts: selected.posts,
    nextCursor: selected.nextCursor,
    mayAnnounce: selected.mayAnnounce,
  };
}

/** /community/posts/:postId: the post, what the viewer may do with it, and a page of comments. */
export async function getPostPage(ctx: ServiceContext, actor: User | null, postId: string, page: PageRequest = {}) {
  const access = await requirePostAccess(ctx, actor, postId);
  const [post, comments] = await Promise.all([viewOfPost(ctx, access), commentsOfPost(ctx, access, page)]);
  return {
    post,
    course: courseSummary(access.course),
    comments: comments.comments,
    nextCursor: comments.nextCursor,
    may: { edit: access.mayEdit, delete: access.mayDelete, announce: access.mayAnnounce },
  };
}

/** The edit form: for the author (title, body) or a moderator (the announcement flag). */
export async function getPostForEdit(ctx: ServiceContext, actor: User | null, postId: string) {
  const access = await requirePostEditor(ctx, actor, postId, {});
  return {
    post: await viewOfPost(ctx, access),
    course: courseSummary(access.course),
    may: { edit: access.mayEdit, announce: access.mayAnnounce },
  };
}

/** The delete confirmation: for the author or a moderator. */
export async function getPostForDelete(ctx: ServiceContext, actor: User | null, postId: string) {
  const access = await requirePostDeleter(ctx, actor, postId);
  return { post: await viewOfPost(ctx, access) };
}
