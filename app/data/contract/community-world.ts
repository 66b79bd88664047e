/**
 * The small world the community contract parts start from: a course with an instructor and
 * two students, and one class-visible submission video by Alice. Each test makes its own,
 * so the parts run against shared databases.
 */
import type { Page, Repositories, User } from '../repository';
import { assignmentInput, submissionBundle } from './builders';
import { aJoinCode, aUser } from './repository-contract';

export async function aCommunity(repos: Repositories, students = 2) {
  const teacher = await repos.users.create(aUser({ role: 'instructor', firstName: 'Tess' }));
  const course = await repos.courses.create({
    title: 'Community',
    code: 'COM-1',
    instructorId: teacher.id,
    joinCode: aJoinCode(),
  });
  const names = ['Alice', 'Bob', 'Cara', 'Dan'];
  const members: User[] = [];
  for (let i = 0; i < students; i++) {
    const student = await repos.users.create(aUser({ firstName: names[i] ?? `Student${i}` }));
    await repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
    members.push(student);
  }
  const assignment = await repos.assignments.create(assignmentInput(course.id, teacher.id));
  return { teacher, course, assignment, students: members };
}

/** Alice's (or anyone's) submission video on the world's assignment. */
export async function aVideo(
  repos: Repositories,
  world: Awaited<ReturnType<typeof aCommunity>>,
  owner: User,
  overrides: Parameters<typeof submissionBundle>[2] = {},
) {
  const bundle = submissionBundle(world.assignment, owner, overrides);
  await repos.submissions.createWithVideo(bundle);
  const video = await repos.videos.getById(bundle.video.id);
  if (!video) throw new Error('the submission video was not stored');
  return video;
}

/** Follows nextCursor to the end (bounded), collecting every page's items in order. */
export async function drain<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, maxPages = 100): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await fetchPage(cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return all;
  }
  throw new Error(`still more pages after ${maxPages}`);
}

/** Newest first by (time, id), both descending: the order every community list promises. */
export function newestFirst<T>(items: T[], at: (item: T) => string, id: (item: T) => string): T[] {
  return [...items].sort((a, b) => (at(a) === at(b) ? (id(a) < id(b) ? 1 : -1) : at(a) < at(b) ? 1 : -1));
}
