import { randomBytes } from 'node:crypto';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { createUserWithRole } from './accounts.server';
import { createAssignment } from './assignments.server';
import type { ServiceContext } from './context';
import { createCourse, joinCourse } from './courses.server';
import { gradeSubmission } from './grading.server';
import { DEMO_VIDEO_CONTENT_TYPE, demoVideoBytes } from './seed-assets/answer-video';
import { finalizeSubmission } from './finalize.server';
import { seedCommunity } from './seed-community.server';
import { startUpload } from './uploads.server';

export const DEMO_JOIN_CODE = 'DEMO101';
export const DEMO_INSTRUCTOR_EMAIL = 'instructor@demo.classcast.test';

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const STUDENTS = [
  ['student1@demo.classcast.test', 'Leo', 'Martins'],
  ['student2@demo.classcast.test', 'Aisha', 'Rahman'],
  ['student3@demo.classcast.test', 'Tom', 'Becker'],
  ['student4@demo.classcast.test', 'Priya', 'Nair'],
] as const;

/**
 * First-start demo data, made through the services exactly as users would make it: an
 * instructor, four students and an admin; a course with a graded assignment (one student
 * missed it, one still waits for a grade), an open one with fresh submissions and one due
 * soon; real tiny videos uploaded to S3 through presigned URLs, then finalized; and a living
 * community around them (seed-community.server.ts).
 *
 * The password is random per installation (never a constant backdoor); the caller keeps
 * it in the local data folder so it can be printed on every start. Idempotent: accounts that
 * exist are kept, the course is only filled while it has no assignments and its community
 * only while it has no posts.
 */
export async function seedDemo(ctx: ServiceContext): Promise<DemoLogin[] | null> {
  const existing = await ctx.repos.users.getByEmail(DEMO_INSTRUCTOR_EMAIL);
  const course = existing ? await ctx.repos.courses.getByJoinCode(DEMO_JOIN_CODE) : null;
  if (existing && course) {
    const assignments = await ctx.repos.assignments.listByCourse(course.id, { includeDrafts: true }, { limit: 1 });
    const students = await demoStudents(ctx);
    if (assignments.items.length === 0) await fillCourse(ctx, existing, course.id, students);
    // Installations seeded before the community existed get it once too (it checks for posts).
    await fillCommunity(ctx, existing, course.id, students);
    return null;
  }
  if (existing) return null; // an installation whose demo course was changed by hand: leave it be
  const password = `demo-${randomBytes(6).toString('base64url')}`;
  const logins: DemoLogin[] = [];
  const make = async (role: 'student' | 'instructor' | 'admin', email: string, firstName: string, lastName: string) => {
    const user = await createUserWithRole(ctx, { email, password, firstName, lastName, role });
    logins.push({ role, email, password });
    return user;
  };
  const instructor = await make('instructor', DEMO_INSTRUCTOR_EMAIL, 'Maya', 'Okafor');
  const created = await createCourse(ctx, instructor, {
    title: 'Introduction to Biology',
    code: 'BIO-101',
    description: 'Cells, genetics and ecosystems: explain each idea in your own words, on video.',
    joinCode: DEMO_JOIN_CODE,
  });
  const students: User[] = [];
  for (const [email, first, last] of STUDENTS) {
    const student = await make('student', email, first, last);
    await joinCourse(ctx, student, { joinCode: DEMO_JOIN_CODE });
    students.push(student);
  }
  await make('admin', 'admin@demo.classcast.test', 'Ada', 'Admin');
  await fillCourse(ctx, instructor, created.id, students);
  await fillCommunity(ctx, instructor, created.id, students);
  return logins;
}

async function fillCommunity(ctx: ServiceContext, instructor: User, courseId: string, students: User[]) {
  const [leo, aisha, tom, priya] = students;
  // Only the seed's own four students, all still there: otherwise leave the course be.
  if (!leo || !aisha || !tom || !priya) return;
  await seedCommunity(ctx, instructor, courseId, { leo, aisha, tom, priya });
}

async function demoStudents(ctx: ServiceContext): Promise<User[]> {
  const found = await Promise.all(STUDENTS.map(([email]) => ctx.repos.users.getByEmail(email)));
  return found.filter((u): u is User => u !== null);
}

/** The services, with the clock moved by `offsetMs`: past work is made "back then". */
const at = (ctx: ServiceContext, offsetMs: number): ServiceContext => ({
  ...ctx,
  now: () => new Date(ctx.now().getTime() + offsetMs),
});

async function fillCourse(ctx: ServiceContext, instructor: User, courseId: string, students: User[]) {
  const [leo, aisha, tom, priya] = students;
  const cells = await createAssignment(at(ctx, -12 * DAY), instructor, {
    courseId,
    title: 'Cells: the smallest unit of life',
    description:
      'In one or two minutes, explain what a cell is and name three organelles with their jobs.\n\nDraw on paper if it helps.',
    dueDate: new Date(ctx.now().getTime() - 5 * DAY).toISOString(),
    maxScore: 10,
  });
  const dna = await createAssignment(at(ctx, -2 * DAY), instructor, {
    courseId,
    title: 'How DNA copies itself',
    description: 'Walk us through DNA replication as if explaining it to a friend. Use your hands or a sketch.',
    dueDate: new Date(ctx.now().getTime() + 9 * DAY).toISOString(),
    maxScore: 20,
  });
  await createAssignment(at(ctx, -1 * DAY), instructor, {
    courseId,
    title: 'A food web near you',
    description: 'Film a park, a garden or a window box and describe who eats whom there.',
    dueDate: new Date(ctx.now().getTime() + 30 * HOUR).toISOString(),
    maxScore: 10,
  });

  const upload = (student: User | undefined, assignmentId: string, offsetMs: number, title: string) =>
    student ? submitDemoVideo(at(ctx, offsetMs), student, assignmentId, title) : Promise.resolve(null);
  const leoCells = await upload(leo, cells.id, -8 * DAY, 'Cells, with a drawing');
  const aishaCells = await upload(aisha, cells.id, -7 * DAY, 'My cell tour');
  await upload(priya, cells.id, -6 * DAY, 'Three organelles in two minutes');
  await upload(leo, dna.id, -3 * HOUR, 'Unzipping the double helix');
  await upload(tom, dna.id, -1 * HOUR, 'DNA replication with LEGO');

  if (leoCells) {
    await gradeSubmission(at(ctx, -4 * DAY), instructor, leoCells, {
      grade: '9',
      feedback: 'Clear and well paced. The drawing of the mitochondrion made it click.',
    });
  }
  if (aishaCells) {
    await gradeSubmission(at(ctx, -3 * DAY), instructor, aishaCells, {
      grade: '7.5',
      feedback: 'Good tour. Next time say what the ribosomes are for, not only where they are.',
    });
  }
}

/** Uploads the demo clip like a browser would (presigned PUT straight to S3), then finalizes. */
async function submitDemoVideo(ctx: ServiceContext, student: User, assignmentId: string, videoTitle: string) {
  const bytes = demoVideoBytes();
  const started = await startUpload(ctx, student, {
    assignmentId,
    fileName: 'answer.webm',
    contentType: DEMO_VIDEO_CONTENT_TYPE,
    fileSize: bytes.length,
  });
  if (started.mode !== 'single') throw new Error('the demo clip is small enough for one PUT');
  const put = await fetch(started.presignedUrl, { method: 'PUT', headers: started.headers, body: bytes });
  if (!put.ok) throw new AppError('STORAGE_UNAVAILABLE', `Storing the demo video failed (${put.status}).`);
  const { submission } = await finalizeSubmission(ctx, student, {
    assignmentId,
    fileKey: started.fileKey,
    videoTitle,
    videoDescription: 'Recorded for the ClassCast demo course.',
    duration: 1.5,
  });
  return submission.id;
}
