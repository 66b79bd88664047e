/**
 * Bench data for the feed (issue 10, item 11), written straight through the repositories in
 * concurrent batches. One "unit" is 300 students, 3,000 videos, 1,000 posts, 50 assignments
 * and 10,000 likes and comments in the same 10 courses; seeding N units gives N× data. The
 * courses stay 10, so every course's partitions grow N-fold: the case a feed that scans, or
 * reads per item, cannot hide.
 *
 * Each student takes two courses. The bench student (the first one) owns every 50th video
 * in their courses, so "what others did on my work" has plenty to say too.
 */
import { newId } from '~/data/ids';
import type { Assignment, Course, InteractionTarget, Repositories, User } from '~/data/repository';

export const COURSES = 10;
const FULL_UNIT = { students: 300, videos: 3000, posts: 1000, assignmentsPerCourse: 5, interactions: 10_000 };
/** A smaller unit for a quick trial of the harness itself (`--fraction 0.05`); results use 1. */
export function unitOf(fraction: number) {
  const scaled = (n: number) => Math.max(1, Math.round(n * fraction));
  return {
    students: Math.max(20, scaled(FULL_UNIT.students)),
    videos: scaled(FULL_UNIT.videos),
    posts: scaled(FULL_UNIT.posts),
    assignmentsPerCourse: FULL_UNIT.assignmentsPerCourse,
    interactions: scaled(FULL_UNIT.interactions),
  };
}
type Unit = ReturnType<typeof unitOf>;
const BATCH = 50;

export interface BenchSchool {
  courses: Course[];
  /** Students per course index. */
  members: User[][];
  benchStudent: User;
  benchPassword: string;
  units: number;
}

async function inBatches<T>(items: T[], run: (item: T, index: number) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += BATCH) {
    await Promise.all(items.slice(i, i + BATCH).map((item, j) => run(item, i + j)));
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The courses, their instructors and the bench student: made once, before the first unit. */
export async function startSchool(
  repos: Repositories,
  passwordHash: string,
  benchPassword: string,
): Promise<BenchSchool> {
  const courses: Course[] = [];
  await inBatches(range(COURSES), async (c) => {
    const teacher = await repos.users.create({
      email: `bench-teacher-${c}-${newId()}@bench.test`,
      firstName: 'Teacher',
      lastName: `T${c}`,
      role: 'instructor',
      passwordHash,
    });
    courses[c] = await repos.courses.create({
      title: `Bench course ${c}`,
      code: `BEN-${100 + c}`,
      instructorId: teacher.id,
      joinCode: `BENCH${c}${newId().slice(-6)}`,
    });
  });
  const benchStudent = await repos.users.create({
    email: `bench-student-${newId()}@bench.test`.toLowerCase(),
    firstName: 'Bea',
    lastName: 'Bench',
    role: 'student',
    passwordHash,
  });
  const members: User[][] = courses.map(() => []);
  for (const c of [0, 3]) {
    await repos.enrollments.enroll({ courseId: courses[c].id, userId: benchStudent.id, role: 'student' });
    members[c].push(benchStudent);
  }
  return { courses, members, benchStudent, benchPassword, units: 0 };
}

/** One more unit of data in the same courses. */
export async function addUnit(
  repos: Repositories,
  school: BenchSchool,
  passwordHash: string,
  UNIT: Unit = unitOf(1),
): Promise<void> {
  const { courses, members, benchStudent } = school;
  const unit = school.units++;
  await inBatches(range(UNIT.students), async (i) => {
    const student = await repos.users.create({
      email: `bench-s${unit}-${i}-${newId()}@bench.test`.toLowerCase(),
      firstName: `Student${i}`,
      lastName: `U${unit}`,
      role: 'student',
      passwordHash,
    });
    for (const c of [i % COURSES, (i + 3) % COURSES]) {
      await repos.enrollments.enroll({ courseId: courses[c].id, userId: student.id, role: 'student' });
      members[c].push(student);
    }
  });

  const assignments: Assignment[][] = courses.map(() => []);
  await inBatches(range(COURSES * UNIT.assignmentsPerCourse), async (i) => {
    const course = courses[i % COURSES];
    assignments[i % COURSES].push(
      await repos.assignments.create({
        courseId: course.id,
        instructorId: course.instructorId,
        title: `Task ${unit}.${i}`,
        description: 'Explain it on video.',
        dueDate: new Date(Date.now() + ((i % 20) - 5) * 86_400_000).toISOString(),
        maxScore: 10,
        status: 'published',
        visibility: 'class',
      }),
    );
  });

  const videos: InteractionTarget[] = [];
  await inBatches(range(UNIT.videos), async (i) => {
    const c = i % COURSES;
    const course = courses[c];
    const owner = i % 50 < 2 && (c === 0 || c === 3) ? benchStudent : members[c][(i * 7 + unit) % members[c].length];
    const assignment = assignments[c][i % assignments[c].length];
    const id = newId();
    const at = new Date().toISOString();
    await repos.submissions.createWithVideo({
      submission: {
        id,
        assignmentId: assignment.id,
        courseId: course.id,
        studentId: owner.id,
        videoId: id,
        videoTitle: `Answer ${unit}.${i}`,
        videoDescription: '',
        fileName: 'answer.webm',
        fileSize: 4096,
        fileType: 'video/webm',
        durationSeconds: 30,
        isLate: false,
        submittedAt: at,
      },
      video: {
        id,
        ownerId: owner.id,
        courseId: course.id,
        assignmentId: assignment.id,
        submissionId: id,
        title: `Answer ${unit}.${i}`,
        description: '',
        storageKey: `videos/${course.id}/${assignment.id}/${owner.id}/${id}.webm`,
        contentType: 'video/webm',
        sizeBytes: 4096,
        durationSeconds: 30,
        visibility: i % 10 === 9 ? 'private' : 'class',
      },
    });
    videos[i] = { type: 'video', id, courseId: course.id, ownerId: owner.id };
  });

  await inBatches(range(UNIT.posts), (i) => {
    const c = i % COURSES;
    return repos.posts.create({
      courseId: courses[c].id,
      authorId: (i % 4 === 0 ? { id: courses[c].instructorId } : members[c][(i * 11) % members[c].length]).id,
      title: `Post ${unit}.${i}`,
      body: 'Who wants to practise before recording?',
      isAnnouncement: i % 40 === 0,
    });
  });

  // Half likes, half comments; a like's (video, user) pair is never repeated within a unit.
  await inBatches(range(UNIT.interactions), (i) => {
    const target = videos[i % videos.length];
    const pool = members[courses.findIndex((c) => c.id === target.courseId)];
    let user = pool[(Math.floor(i / videos.length) * 13 + i + unit) % pool.length];
    if (user.id === target.ownerId) user = pool[(pool.indexOf(user) + 1) % pool.length];
    return i % 2
      ? repos.interactions.setLike({ target, userId: user.id, liked: true, notification: null })
      : repos.interactions.addComment(
          { target, userId: user.id, type: 'comment', content: `Nice point ${i}`, atSeconds: i % 30 },
          null,
        );
  });
}
