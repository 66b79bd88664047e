/**
 * The Postgres adapter's community reads are ONE SQL statement each, whatever the data (no
 * N+1, no page-by-page loops), and a like or a connection request is one statement too.
 * Counted at the wire: every statement Prisma sends (query events), on embedded PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentInput, notificationFor, postInput, submissionBundle, videoTarget } from '../contract/builders';
import { aJoinCode, aUser } from '../contract/repository-contract';
import { systemClock, type Course, type Repositories, type User, type Video } from '../repository';
import { countedPglite, type CountedBackend } from '../../../tests/counted-backends';

let backend: CountedBackend;
let repos: Repositories;
let sent = 0;

beforeAll(async () => {
  backend = await countedPglite(systemClock, () => (sent += 1));
  repos = backend.repos;
}, 120_000);

afterAll(async () => {
  await backend?.stop();
});

async function statements(run: () => Promise<unknown>): Promise<number> {
  const before = sent;
  await run();
  return sent - before;
}

interface World {
  course: Course;
  students: User[];
  videos: Video[];
}

/** `scale` students in a course, each with a video that everyone comments on and likes. */
async function seed(scale: number): Promise<World> {
  const teacher = await repos.users.create(aUser({ role: 'instructor' }));
  const course = await repos.courses.create({ title: 'S', code: 'S', instructorId: teacher.id, joinCode: aJoinCode() });
  const assignment = await repos.assignments.create(assignmentInput(course.id, teacher.id));
  const students: User[] = [];
  const videos: Video[] = [];
  for (let i = 0; i < scale; i++) {
    const student = await repos.users.create(aUser({ firstName: `S${i}` }));
    await repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
    const bundle = submissionBundle(assignment, student);
    await repos.submissions.createWithVideo(bundle);
    videos.push((await repos.videos.getById(bundle.video.id))!);
    students.push(student);
    await repos.posts.create(postInput(course.id, student.id));
  }
  for (const video of videos) {
    for (const student of students) {
      const target = videoTarget(video);
      const comment = await repos.interactions.addComment(
        { target, userId: student.id, type: 'comment', content: 'c' },
        null,
      );
      await repos.interactions.addComment(
        { target, userId: video.ownerId, type: 'comment', content: 'r', parentId: comment.id },
        null,
      );
      await repos.interactions.setLike({ target, userId: student.id, liked: true, notification: null });
    }
  }
  return { course, students, videos };
}

async function readCosts({ course, students, videos }: World) {
  const viewer = students[0]!;
  const window = { courseIds: [course.id], before: null, limit: 20 };
  const comments = await repos.interactions.listComments({ type: 'video', id: videos[0]!.id }, { limit: 20 });
  return {
    videoFeed: await statements(() => repos.videos.listForFeed(window, viewer.id)),
    postFeed: await statements(() => repos.posts.listForFeed(window)),
    assignmentFeed: await statements(() => repos.assignments.listPublishedForFeed(window)),
    ownerFeed: await statements(() => repos.interactions.listOnOwnedTargets(viewer.id, null, 20)),
    comments: await statements(() =>
      repos.interactions.listComments({ type: 'video', id: videos[0]!.id }, { limit: 20 }),
    ),
    replies: await statements(() => repos.interactions.listReplies(comments.items, 3)),
    likedBy: await statements(() =>
      repos.interactions.likedBy(
        viewer.id,
        videos.map((v) => ({ type: 'video' as const, id: v.id })),
      ),
    ),
    directory: await statements(() => repos.users.search({ term: 'S' }, { limit: 20 })),
    connections: await statements(() => repos.connections.listByUser(viewer.id)),
  };
}

describe('community statements on Postgres', () => {
  it('each read is one statement, the same at 2 and at 6 students (36x the interactions)', async () => {
    const small = await readCosts(await seed(2));
    const large = await readCosts(await seed(6));
    expect(Object.values(small).every((n) => n === 1)).toBe(true);
    expect(large).toEqual(small);
  }, 180_000);

  it('a like and a connection request are one statement each (notification included)', async () => {
    const { videos, students } = await seed(2);
    const owner = students[0]!;
    const stranger = await repos.users.create(aUser());
    const target = videoTarget(videos[0]!);
    const like = () =>
      repos.interactions.setLike({
        target,
        userId: stranger.id,
        liked: true,
        notification: notificationFor(owner, stranger, 'like'),
      });
    expect(await statements(like)).toBe(1);
    // Already liked: the insert does nothing, and a fresh read reports the count.
    expect(await statements(like)).toBe(2);
    const request = () =>
      repos.connections.request({
        requesterId: stranger.id,
        requestedId: owner.id,
        notification: notificationFor(owner, stranger, 'connection_request'),
      });
    expect(await statements(request)).toBe(1);
  }, 120_000);
});
