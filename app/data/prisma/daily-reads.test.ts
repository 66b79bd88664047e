/**
 * The daily pages' reads never reach Prisma's query compiler: every statement they send is one
 * of our prepared texts (Prisma's generated SQL names its tables `"public"."users"`; ours never
 * does). Writes may use Prisma; reads done by a page may not. ADR 016.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionBundle } from '../contract/builders';
import { newId } from '~/data/ids';
import type { Repositories, User } from '~/data/repository';
import { listCourseAssignments } from '~/services/assignments.server';
import { getCourseDetails } from '~/services/courses.server';
import { getDashboard } from '~/services/dashboard.server';
import { courseGradebook } from '~/services/grading.server';
import { countedContext, countedPglite, type CountedBackend } from '../../../tests/counted-backends';

let ticks = Date.parse('2031-03-01T09:00:00.000Z');
const clock = () => new Date(ticks++);
const sent: string[] = [];
let backend: CountedBackend;
let repos: Repositories;
let teacher: User;
let student: User;
let courseId: string;

const prismaCompiled = (sql: string) => sql.includes('"public".');

beforeAll(async () => {
  backend = await countedPglite(clock, (sql) => sent.push(sql));
  repos = backend.repos;
  const person = (role: 'instructor' | 'student', firstName: string) =>
    repos.users.create({ email: `${newId()}@example.edu`, passwordHash: 'x', firstName, lastName: 'T', role });
  [teacher, student] = await Promise.all([person('instructor', 'Tess'), person('student', 'Sam')]);
  const course = await repos.courses.create({
    title: 'Film',
    code: 'F-1',
    instructorId: teacher.id,
    joinCode: newId().slice(-8),
  });
  courseId = course.id;
  await repos.enrollments.enroll({ courseId, userId: student.id, role: 'student' });
  const assignment = await repos.assignments.create({
    courseId,
    instructorId: teacher.id,
    title: 'One',
    description: '',
    dueDate: new Date(ticks + 86_400_000).toISOString(),
    maxScore: 10,
    status: 'published',
    visibility: 'class',
  });
  await repos.submissions.createWithVideo(submissionBundle(assignment, student, { at: clock() }));
  await repos.posts.create({ courseId, authorId: teacher.id, title: 'Hi', body: 'Welcome', isAnnouncement: false });
  await repos.messages.send({ fromUserId: teacher.id, toUserId: student.id, content: 'Hello' }, null);
}, 120_000);

afterAll(async () => {
  await backend?.stop();
});

describe('daily reads on the Prisma adapter', () => {
  it('send only prepared statements, never Prisma-compiled SQL', async () => {
    const ctx = countedContext(repos, clock);
    sent.length = 0;
    const instructorView = await getDashboard(ctx, teacher);
    const studentView = await getDashboard(ctx, student);
    await getCourseDetails(ctx, teacher, courseId, {});
    await listCourseAssignments(ctx, student, courseId, { limit: 100 });
    await courseGradebook(ctx, teacher, courseId, {});
    const window = { courseIds: [courseId], before: null, limit: 20 };
    const [videos, posts, assignments] = await Promise.all([
      repos.videos.listForFeed(window, student.id),
      repos.posts.listForFeed(window),
      repos.assignments.listPublishedForFeed(window),
    ]);
    await Promise.all([
      repos.notifications.countUnread(student.id),
      repos.notifications.listByRecipient(student.id),
      repos.messages.countUnread(student.id),
      repos.messages.listConversations(student.id),
      repos.authSessions.get(newId()),
      repos.users.getById(student.id),
      repos.connections.listByUser(student.id),
      repos.interactions.listComments({ type: 'video', id: videos[0]!.id }),
      repos.interactions.likedBy(student.id, [{ type: 'video', id: videos[0]!.id }]),
    ]);

    // The reads found what the seed wrote, so the statements really ran.
    expect(instructorView.kind === 'instructor' && instructorView.toGrade).toHaveLength(1);
    expect(studentView.kind === 'student' && studentView.courses).toHaveLength(1);
    expect([videos.length, posts.length, assignments.length]).toEqual([1, 1, 1]);
    expect(await repos.messages.countUnread(student.id)).toBe(1);

    expect(sent.length).toBeGreaterThan(15);
    expect(sent.filter(prismaCompiled)).toEqual([]);
  });

  it('would notice a Prisma-compiled read (the signature holds)', async () => {
    sent.length = 0;
    await repos.courses.getByJoinCode('NOPE-NOPE'); // still on Prisma: a rare lookup
    expect(sent.some(prismaCompiled)).toBe(true);
  });
});
