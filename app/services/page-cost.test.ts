/**
 * The course page and the grading pages cost a fixed number of queries: the same with 3
 * students as with 300. Counted at the wire — every SQL statement Prisma sends (query
 * events) and every DynamoDB command (SDK middleware) — on both real adapters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionBundle } from '~/data/contract/builders';
import { newId } from '~/data/ids';
import type { Repositories, User } from '~/data/repository';
import {
  countedContext,
  countedDynamo,
  countedPglite,
  inBatches,
  type CountedBackend,
} from '../../tests/counted-backends';
import { listCourseAssignments } from './assignments.server';
import { getCourseDetails } from './courses.server';
import { assignmentProgress, courseGradebook } from './grading.server';

/**
 * The one clock: the services' `now`, handed to the adapters too. It runs in 2031 and ticks
 * a millisecond per reading, so a row stamped by the system clock instead stands out.
 */
let ticks = Date.parse('2031-03-01T09:00:00.000Z');
const clock = () => new Date(ticks++);

type Backend = CountedBackend;
const onPglite = () => countedPglite(clock);
const onDynamo = () => countedDynamo(clock, 'cost');
const contextFor = (repos: Repositories) => countedContext(repos, clock);

/** A course with `students` students, two assignments, most students submitted, some graded. */
async function aClass(repos: Repositories, students: number) {
  const teacher = await repos.users.create({
    email: `teacher-${newId()}@example.edu`,
    passwordHash: 'x',
    firstName: 'Tess',
    lastName: 'Teacher',
    role: 'instructor',
  });
  const course = await repos.courses.create({
    title: 'Film',
    code: 'F-1',
    instructorId: teacher.id,
    joinCode: newId().slice(-8),
  });
  const assignments = await Promise.all(
    ['One', 'Two'].map((title) =>
      repos.assignments.create({
        courseId: course.id,
        instructorId: teacher.id,
        title,
        description: '',
        dueDate: new Date(ticks + 86400_000).toISOString(),
        maxScore: 10,
        status: 'published',
        visibility: 'class',
      }),
    ),
  );
  const roster: User[] = [];
  await inBatches(
    Array.from({ length: students }, (_, i) => i),
    async (i) => {
      const user = await repos.users.create({
        email: `student-${newId()}@example.edu`,
        passwordHash: 'x',
        firstName: `S${i}`,
        lastName: 'Student',
        role: 'student',
      });
      await repos.enrollments.enroll({ courseId: course.id, userId: user.id, role: 'student' });
      roster.push(user);
    },
  );
  await inBatches(
    roster.filter((_, i) => i % 3 !== 2),
    async (student) => {
      const answer = submissionBundle(assignments[0], student, { at: clock() });
      await repos.submissions.createWithVideo(answer);
      const id = answer.submission.id;
      if (student.firstName.endsWith('0')) {
        await repos.submissions.grade({
          submissionId: id,
          grade: 8,
          feedback: 'Good',
          gradedBy: teacher.id,
          notification: {
            recipientId: student.id,
            senderId: teacher.id,
            senderName: 'Tess Teacher',
            type: 'grade',
            title: 'Graded',
            message: '8 / 10',
            relatedId: id,
            relatedType: 'submission',
            actionUrl: `/submissions/${id}`,
          },
        });
      }
    },
  );
  return { teacher, course, assignment: assignments[0], submitted: roster.length - Math.floor(roster.length / 3) };
}

type PageCosts = Record<'course page' | 'grading page' | 'assignment progress', number>;

async function pageCosts(backend: Backend, students: number): Promise<{ costs: PageCosts; submitted: number }> {
  const ctx = contextFor(backend.repos);
  const { teacher, course, assignment, submitted } = await aClass(backend.repos, students);
  const measure = async (load: () => Promise<unknown>) => {
    const before = backend.sent();
    await load();
    return backend.sent() - before;
  };
  const costs: PageCosts = {
    // The course page's loader: course + roster page, then the assignments with their counts.
    'course page': await measure(async () => {
      await getCourseDetails(ctx, teacher, course.id, {});
      await listCourseAssignments(ctx, teacher, course.id, { limit: 100 });
    }),
    'grading page': await measure(() => courseGradebook(ctx, teacher, course.id, {})),
    'assignment progress': await measure(() => assignmentProgress(ctx, teacher, assignment.id, {})),
  };
  // The numbers are right as well as cheap.
  const gradebook = await courseGradebook(ctx, teacher, course.id, {});
  expect(gradebook.studentCount).toBe(students);
  const row = gradebook.assignments.find((a) => a.id === assignment.id);
  expect(row).toMatchObject({ submitted, notSubmitted: students - submitted });
  return { costs, submitted };
}

describe.each([
  ['prisma on embedded PGlite', onPglite],
  ['dynamodb', onDynamo],
])('page cost on %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('stamps every row with the services’ clock, not the system’s', async () => {
    const { teacher, course, assignment } = await aClass(backend.repos, 1);
    const [enrolment] = (await backend.repos.enrollments.listByCourse(course.id)).items;
    const [submission] = await backend.repos.submissions.latestPerStudent({ courseId: course.id });
    for (const at of [
      teacher.createdAt,
      course.createdAt,
      assignment.createdAt,
      enrolment.createdAt,
      submission.updatedAt,
      submission.gradedAt,
    ]) {
      expect(at).toMatch(/^2031-03-01T/);
    }
  });

  it('is the same with 3 and with 300 students', { timeout: 240_000 }, async () => {
    const small = await pageCosts(backend, 3);
    const large = await pageCosts(backend, 300);
    expect(large.costs).toEqual(small.costs);
    for (const cost of Object.values(small.costs)) expect(cost).toBeLessThanOrEqual(12);
  });
});
