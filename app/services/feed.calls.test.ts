/**
 * A feed page costs the same number of database calls at 1× and at 10× the data (issue 10,
 * item 1): counted at the wire on both real adapters. On DynamoDB, also what kind of calls:
 * never a Scan, and one Query per course per course-keyed source, plus one for the student's
 * own videos, one for what others did on the student's work and one for the enrolments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionBundle } from '~/data/contract/builders';
import { newId } from '~/data/ids';
import type { Assignment, Course, InteractionTarget, Repositories, User, Video } from '~/data/repository';
import {
  countedContext,
  countedDynamo,
  countedPglite,
  inBatches,
  type CountedBackend,
} from '../../tests/counted-backends';
import type { FeedItem } from './feed-view';
import { getStudentFeed } from './feed.server';

let ticks = Date.parse('2031-05-01T09:00:00.000Z');
const clock = () => new Date(ticks++);

/** Feed sources keyed by course (videos, posts, assignments): one DynamoDB Query per course each. */
const COURSE_SOURCES = 3;
const COURSES = 2;

function aPerson(repos: Repositories, role: User['role'], firstName: string) {
  return repos.users.create({
    email: `${role}-${newId()}@example.edu`,
    passwordHash: null,
    firstName,
    lastName: 'Feed',
    role,
  });
}

function anAssignment(repos: Repositories, course: Course, title: string): Promise<Assignment> {
  return repos.assignments.create({
    courseId: course.id,
    instructorId: course.instructorId,
    title,
    description: '',
    dueDate: new Date(ticks + 7 * 86_400_000).toISOString(),
    maxScore: 10,
    status: 'published',
    visibility: 'class',
  });
}

async function aVideo(
  repos: Repositories,
  owner: User,
  assignment: Assignment,
): Promise<Pick<Video, 'id' | 'ownerId' | 'courseId'>> {
  const answer = submissionBundle(assignment, owner, { at: clock(), visibility: 'class' });
  await repos.submissions.createWithVideo(answer);
  const { id } = answer.video;
  return { id, ownerId: owner.id, courseId: assignment.courseId };
}

const onVideo = (v: Pick<Video, 'id' | 'courseId' | 'ownerId'>): InteractionTarget => ({
  type: 'video',
  id: v.id,
  courseId: v.courseId,
  ownerId: v.ownerId,
});

/**
 * Two courses the viewer takes, 5 × `scale` classmates, and `scale` × (30 videos, 10 posts,
 * 20 comments and likes on the viewer's videos, ~3 assignments), made in rounds so that any
 * 20 newest items mix every kind: each page then names the same kinds of things at any scale.
 */
async function aSchool(repos: Repositories, scale: number) {
  const teacher = await aPerson(repos, 'instructor', 'Tess');
  const viewer = await aPerson(repos, 'student', 'Vera');
  const courses: Course[] = [];
  for (let c = 0; c < COURSES; c++) {
    courses.push(
      await repos.courses.create({
        title: `Film ${c}`,
        code: `F-${c}`,
        instructorId: teacher.id,
        joinCode: newId().slice(-10),
      }),
    );
  }
  const classmates: User[] = [];
  await inBatches(
    Array.from({ length: 5 * scale }, (_, i) => i),
    async (i) => {
      const student = await aPerson(repos, 'student', `S${i}`);
      for (const course of courses) {
        await repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
      }
      classmates.push(student);
    },
  );
  for (const course of courses) {
    await repos.enrollments.enroll({ courseId: course.id, userId: viewer.id, role: 'student' });
  }
  let assignment = await anAssignment(repos, courses[0], 'Task 0');
  for (let round = 0; round < 10 * scale; round++) {
    const course = courses[round % COURSES];
    const classmate = (k: number) => classmates[(round * 3 + k) % classmates.length];
    // Every third round brings an assignment: at most 19 items between two of them.
    if (round % 3 === 2) assignment = await anAssignment(repos, course, `Task ${round}`);
    const [own] = await Promise.all([
      aVideo(repos, viewer, assignment),
      aVideo(repos, classmate(0), assignment),
      aVideo(repos, classmate(1), assignment),
      repos.posts.create({
        courseId: course.id,
        authorId: (round % 2 ? classmate(2) : teacher).id,
        title: `Post ${round}`,
        body: 'Hello class',
        isAnnouncement: round % 5 === 0,
      }),
    ]);
    await Promise.all([
      repos.interactions.setLike({ target: onVideo(own), userId: classmate(0).id, liked: true, notification: null }),
      repos.interactions.addComment(
        { target: onVideo(own), userId: classmate(1).id, type: 'comment', content: `Nice ${round}`, atSeconds: 1 },
        null,
      ),
    ]);
  }
  return { viewer };
}

interface PageCost {
  total: number;
  byName: Record<string, number>;
  kinds: FeedItem['type'][];
  size: number;
}

async function feedPageCosts(backend: CountedBackend, scale: number): Promise<PageCost[]> {
  const ctx = countedContext(backend.repos, clock);
  const { viewer } = await aSchool(backend.repos, scale);
  const costs: PageCost[] = [];
  let cursor: string | null = null;
  // The first page and the one after it: a cursor page costs the same as the first.
  for (let page = 0; page < 2; page++) {
    const before = backend.byName();
    const result = await getStudentFeed(ctx, viewer, { cursor });
    const after = backend.byName();
    const byName = Object.fromEntries(
      Object.entries(after)
        .map(([name, n]) => [name, n - (before[name] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    costs.push({
      total: Object.values(byName).reduce((a, b) => a + b, 0),
      byName,
      kinds: [...new Set(result.feed.map((i) => i.type))].sort(),
      size: result.feed.length,
    });
    expect(result.nextCursor).not.toBeNull();
    cursor = result.nextCursor;
  }
  return costs;
}

describe.each([
  ['prisma on embedded PGlite', () => countedPglite(clock)],
  ['dynamodb', () => countedDynamo(clock, 'feedcost')],
])('feed page cost on %s', (name, open) => {
  let backend: CountedBackend;
  beforeAll(async () => {
    backend = await open();
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
  });

  it('is the same at 1× and 10× the data', { timeout: 300_000 }, async () => {
    const small = await feedPageCosts(backend, 1);
    const large = await feedPageCosts(backend, 10);
    expect(small[0].kinds).toEqual(['assignment', 'community', 'interaction', 'video']);
    expect(small[0].size).toBe(20);
    expect(large).toEqual(small);
    expect(small[1].total).toBe(small[0].total);
    for (const cost of small) expect(cost.total).toBeLessThanOrEqual(15);

    if (name === 'dynamodb') {
      for (const cost of small) {
        expect(cost.byName.ScanCommand).toBeUndefined();
        // enrolments + sources × courses + the viewer's own videos + what others did on them
        expect(cost.byName.QueryCommand).toBe(1 + COURSE_SOURCES * COURSES + 1 + 1);
      }
    }
  });
});
