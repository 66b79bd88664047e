/**
 * The unified student feed: classmates' and own videos, community posts, published
 * assignments and what others did on the student's own videos and posts, newest first.
 *
 * Constant work per page, whatever the size of the school: one read of the student's
 * enrolments, one call per source (each asked for `limit + 1` items older than the cursor),
 * an in-memory k-way merge, then ONE batch read per kind of thing the page names (people,
 * courses, the student's likes, interaction targets). Never a read per item.
 */
import { z } from 'zod';
import { encodeCursor, decodeCursor } from '~/data/cursor';
import type {
  Assignment,
  Course,
  FeedPosition,
  InteractionRecord,
  Post,
  Repositories,
  User,
  Video,
} from '~/data/repository';
import { parseInput } from '~/utils/validation';
import { requireFeedReader } from './access.server';
import type { ServiceContext } from './context';
import { dueState } from './due-state';
import type { FeedAssignmentStatus, FeedCourse, FeedInteractionAction, FeedItem, StudentFeed } from './feed-view';
import { personSummary, type PersonSummary } from './people';

export const FEED_DEFAULT_LIMIT = 20;
export const FEED_MAX_LIMIT = 50;
/** Enrolment pages read per request (100 each): a bound, far above any real timetable. */
const MAX_ENROLMENT_PAGES = 5;

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

const feedQuerySchema = z.object({
  userId: z.preprocess(blankToUndefined, z.string().trim().min(1).max(64).optional()),
  cursor: z.preprocess(blankToUndefined, z.string().max(512, 'The cursor is not valid for this list.').optional()),
  limit: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'limit must be a number.' })
      .int('limit must be a whole number.')
      .min(1, 'limit must be at least 1.')
      .max(FEED_MAX_LIMIT, `limit must be at most ${FEED_MAX_LIMIT}.`)
      .optional(),
  ),
});

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function isFeedPosition(value: unknown): value is FeedPosition & Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const { at, id } = value as Record<string, unknown>;
  return (
    typeof at === 'string' &&
    ISO_TIME.test(at) &&
    !Number.isNaN(Date.parse(at)) &&
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= 200
  );
}

/** One candidate from one source, with the time the source orders by. */
type Entry =
  | { kind: 'video'; at: string; id: string; video: Video }
  | { kind: 'post'; at: string; id: string; post: Post }
  | { kind: 'assignment'; at: string; id: string; assignment: Assignment }
  | { kind: 'interaction'; at: string; id: string; interaction: InteractionRecord };

/** Newest first: time, then id, both descending — the order every feed source uses. */
const newer = (a: Pick<Entry, 'at' | 'id'>, b: Pick<Entry, 'at' | 'id'>) =>
  a.at > b.at || (a.at === b.at && a.id > b.id);

/**
 * K-way merge of sources that are each newest first; stops after `limit + 1` entries (the
 * extra one only says whether another page exists).
 */
export function mergeNewestFirst<T extends Pick<Entry, 'at' | 'id'>>(sources: T[][], limit: number): T[] {
  const heads = sources.map(() => 0);
  const out: T[] = [];
  while (out.length <= limit) {
    let best = -1;
    for (let s = 0; s < sources.length; s++) {
      const candidate = sources[s][heads[s]];
      if (candidate && (best < 0 || newer(candidate, sources[best][heads[best]]))) best = s;
    }
    if (best < 0) break;
    out.push(sources[best][heads[best]++]);
  }
  return out;
}

async function enrolledCourseIds(repos: Repositories, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_ENROLMENT_PAGES; page++) {
    const result = await repos.enrollments.listByUser(userId, { limit: 100, cursor });
    ids.push(...result.items.map((e) => e.courseId));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

export function courseInitials(title: string): string {
  const words = title.split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const significant = words.filter((w) => /^[\p{Lu}\p{N}]/u.test(w));
  const picked = (significant.length ? significant : words).slice(0, 2);
  return picked.map((w) => w[0].toUpperCase()).join('') || '?';
}

/** The original's three assignment states, read off our due-state rule. */
function feedStatus(assignment: Assignment, now: Date): FeedAssignmentStatus {
  switch (dueState(assignment, now)) {
    case 'late':
      return 'past_due';
    case 'due-soon':
      return 'upcoming';
    case 'open':
      return 'active';
    case 'closed':
      return new Date(assignment.dueDate).getTime() < now.getTime() ? 'past_due' : 'active';
  }
}

const isFeedAction = (type: string): type is FeedInteractionAction =>
  type === 'like' || type === 'comment' || type === 'response';

const videoPage = (id: string) => `/videos/${id}`;
const postPage = (id: string) => `/community/posts/${id}`;

function formerMember(id: string): PersonSummary {
  return { id, name: 'A former member', avatar: null, role: 'student' };
}

/**
 * `GET /api/student/feed` and the /feed page. `input` is the query: `userId` (default the
 * caller; someone else's only for admins), `cursor`, `limit` (1..50, default 20).
 */
export async function getStudentFeed(ctx: ServiceContext, actor: User | null, input: unknown): Promise<StudentFeed> {
  const query = parseInput(feedQuerySchema, input);
  const limit = query.limit ?? FEED_DEFAULT_LIMIT;
  const before = decodeCursor(query.cursor, isFeedPosition) ?? null;
  const { owner } = await requireFeedReader(ctx, actor, query.userId);
  const { repos } = ctx;

  const courseIds = await enrolledCourseIds(repos, owner.id);
  const window = { courseIds, before: before ? { at: before.at, id: before.id } : null, limit: limit + 1 };
  const inCourses = courseIds.length > 0;
  const [courses, videos, posts, assignments, interactions] = await Promise.all([
    inCourses ? repos.courses.getMany(courseIds) : Promise.resolve([] as Course[]),
    inCourses ? repos.videos.listForFeed(window, owner.id) : Promise.resolve([] as Video[]),
    inCourses ? repos.posts.listForFeed(window) : Promise.resolve([] as Post[]),
    inCourses ? repos.assignments.listPublishedForFeed(window) : Promise.resolve([] as Assignment[]),
    repos.interactions.listOnOwnedTargets(owner.id, window.before, limit + 1),
  ]);

  const merged = mergeNewestFirst<Entry>(
    [
      videos.map((video) => ({ kind: 'video', at: video.createdAt, id: video.id, video })),
      posts.map((post) => ({ kind: 'post', at: post.createdAt, id: post.id, post })),
      assignments.map((assignment) => ({
        kind: 'assignment',
        // Never null for a published assignment; createdAt keeps the order total if it were.
        at: assignment.publishedAt ?? assignment.createdAt,
        id: assignment.id,
        assignment,
      })),
      interactions.map((interaction) => ({
        kind: 'interaction',
        at: interaction.createdAt,
        id: interaction.id,
        interaction,
      })),
    ],
    limit,
  );
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = merged.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null;

  const feed = await describe(ctx, owner, page, courses);
  return { feed, courses: courses.map(toFeedCourse), nextCursor };
}

function toFeedCourse(course: Course): FeedCourse {
  return {
    courseId: course.id,
    name: course.title,
    initials: courseInitials(course.title),
    code: course.code,
    unreadCount: 0,
  };
}

/** The page's batch reads (one per kind), then each entry as the FeedItem it becomes. */
async function describe(ctx: ServiceContext, owner: User, page: Entry[], courses: Course[]): Promise<FeedItem[]> {
  const { repos } = ctx;
  const people = new Set<string>();
  const likeable: { type: 'video' | 'post'; id: string }[] = [];
  const targetVideos = new Set<string>();
  const targetPosts = new Set<string>();
  for (const entry of page) {
    if (entry.kind === 'video') {
      people.add(entry.video.ownerId);
      likeable.push({ type: 'video', id: entry.id });
    } else if (entry.kind === 'post') {
      people.add(entry.post.authorId);
      likeable.push({ type: 'post', id: entry.id });
    } else if (entry.kind === 'interaction') {
      people.add(entry.interaction.userId);
      (entry.interaction.targetType === 'video' ? targetVideos : targetPosts).add(entry.interaction.targetId);
    }
  }
  const [users, liked, videos, posts] = await Promise.all([
    people.size ? repos.users.getMany([...people]) : Promise.resolve([] as User[]),
    likeable.length ? repos.interactions.likedBy(owner.id, likeable) : Promise.resolve(new Set<string>()),
    targetVideos.size ? repos.videos.getMany([...targetVideos]) : Promise.resolve([] as Video[]),
    targetPosts.size ? repos.posts.getMany([...targetPosts]) : Promise.resolve([] as Post[]),
  ]);
  const personById = new Map(users.map((u) => [u.id, personSummary(u)]));
  const person = (id: string) => personById.get(id) ?? formerMember(id);
  const courseName = new Map(courses.map((c) => [c.id, c.title]));
  const nameOf = (courseId: string) => courseName.get(courseId) ?? '';
  const targetTitle = new Map<string, string>([
    ...videos.map((v) => [`video:${v.id}`, v.title] as const),
    ...posts.map((p) => [`post:${p.id}`, p.title] as const),
  ]);
  const now = ctx.now();

  return page.flatMap((entry): FeedItem[] => {
    switch (entry.kind) {
      case 'video': {
        const v = entry.video;
        return [
          {
            id: v.id,
            type: 'video',
            timestamp: entry.at,
            url: videoPage(v.id),
            videoUrl: videoPage(v.id),
            thumbnailUrl: null,
            title: v.title,
            courseId: v.courseId,
            courseName: nameOf(v.courseId),
            assignmentId: v.assignmentId,
            author: person(v.ownerId),
            likes: v.likeCount,
            comments: v.commentCount,
            isLiked: liked.has(v.id),
          },
        ];
      }
      case 'post': {
        const p = entry.post;
        return [
          {
            id: p.id,
            type: 'community',
            timestamp: entry.at,
            url: postPage(p.id),
            title: p.title,
            content: p.body,
            isAnnouncement: p.isAnnouncement,
            courseId: p.courseId,
            courseName: nameOf(p.courseId),
            author: person(p.authorId),
            likes: p.likeCount,
            comments: p.commentCount,
            isLiked: liked.has(p.id),
          },
        ];
      }
      case 'assignment': {
        const a = entry.assignment;
        return [
          {
            id: a.id,
            type: 'assignment',
            timestamp: entry.at,
            url: `/assignments/${a.id}`,
            courseId: a.courseId,
            courseName: nameOf(a.courseId),
            title: a.title,
            description: a.description,
            dueDate: a.dueDate,
            status: feedStatus(a, now),
          },
        ];
      }
      case 'interaction': {
        const i = entry.interaction;
        // The source returns likes, comments and responses only; anything else is not news.
        const action = i.type;
        if (!isFeedAction(action)) return [];
        const onVideo = i.targetType === 'video';
        const targetUrl = onVideo ? videoPage(i.targetId) : postPage(i.targetId);
        const moment = onVideo && i.atSeconds != null ? `#t=${Math.floor(i.atSeconds)}` : '';
        return [
          {
            id: i.id,
            type: 'interaction',
            timestamp: entry.at,
            url: `${targetUrl}${moment}`,
            courseId: i.courseId,
            courseName: nameOf(i.courseId),
            actor: person(i.userId),
            action,
            content: action === 'like' ? null : i.content,
            atSeconds: i.atSeconds,
            target: {
              type: i.targetType,
              id: i.targetId,
              title: targetTitle.get(`${i.targetType}:${i.targetId}`) ?? (onVideo ? 'your video' : 'your post'),
              url: targetUrl,
            },
          },
        ];
      }
    }
  });
}
