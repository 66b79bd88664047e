import { randomBytes } from 'node:crypto';
import type { Repositories } from '~/data/repository';
import { createUserWithRole } from './accounts.server';

export const DEMO_JOIN_CODE = 'DEMO101';
export const DEMO_INSTRUCTOR_EMAIL = 'instructor@demo.classcast.test';

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

/**
 * First-start demo data: one instructor, three students, an admin and a course they share.
 * The password is random per installation (never a constant backdoor); the caller keeps
 * it in the local data folder so it can be printed on every start.
 */
export async function seedDemo(repos: Repositories): Promise<DemoLogin[] | null> {
  if (await repos.users.getByEmail(DEMO_INSTRUCTOR_EMAIL)) return null;
  const password = `demo-${randomBytes(6).toString('base64url')}`;
  const ctx = { repos };
  const logins: DemoLogin[] = [];
  const make = async (role: 'student' | 'instructor' | 'admin', email: string, firstName: string, lastName: string) => {
    const user = await createUserWithRole(ctx, { email, password, firstName, lastName, role });
    logins.push({ role, email, password });
    return user;
  };
  const instructor = await make('instructor', DEMO_INSTRUCTOR_EMAIL, 'Maya', 'Okafor');
  const course = await repos.courses.create({
    title: 'Introduction to Biology',
    code: 'BIO-101',
    description: 'Cells, genetics and ecosystems: explain each idea in your own words, on video.',
    instructorId: instructor.id,
    joinCode: DEMO_JOIN_CODE,
  });
  const students = [
    ['student1@demo.classcast.test', 'Leo', 'Martins'],
    ['student2@demo.classcast.test', 'Aisha', 'Rahman'],
    ['student3@demo.classcast.test', 'Tom', 'Becker'],
  ] as const;
  for (const [email, first, last] of students) {
    const student = await make('student', email, first, last);
    await repos.enrollments.enroll({ courseId: course.id, userId: student.id, role: 'student' });
  }
  await make('admin', 'admin@demo.classcast.test', 'Ada', 'Admin');
  return logins;
}
