import { describe, expect, it } from 'vitest';
import type { Course, Enrollment, Repositories, User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { requireCourseRole, requireRole, requireUser } from './rbac.server';

function user(id: string, role: User['role']): User {
  const now = new Date().toISOString();
  return {
    id,
    email: `${id}@example.test`,
    firstName: id,
    lastName: 'Test',
    role,
    passwordHash: null,
    avatar: null,
    bio: null,
    studentId: null,
    department: null,
    emailVerified: false,
    createdAt: now,
    updatedAt: now,
  };
}

const course: Course = {
  id: 'course-1',
  title: 'Biology',
  code: 'BIO',
  description: '',
  instructorId: 'teacher',
  joinCode: 'ABC123',
  createdAt: '',
  updatedAt: '',
};

const enrolments: Enrollment[] = [
  { courseId: 'course-1', userId: 'teacher', role: 'instructor', createdAt: '' },
  { courseId: 'course-1', userId: 'student', role: 'student', createdAt: '' },
];

// Only the two reads requireCourseRole makes; anything else would be a bug.
const repos = {
  courses: { getById: async (id: string) => (id === course.id ? course : null) },
  enrollments: {
    get: async (courseId: string, userId: string) =>
      enrolments.find((e) => e.courseId === courseId && e.userId === userId) ?? null,
  },
} as unknown as Repositories;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.code}` : String(error);
  }
}

describe('requireUser / requireRole', () => {
  it('401s without a user', () => {
    expect(() => requireUser(null)).toThrowError(expect.objectContaining({ status: 401 }));
  });
  it('passes the allowed roles and 403s the others', () => {
    expect(requireRole(user('a', 'instructor'), 'instructor', 'admin').id).toBe('a');
    expect(() => requireRole(user('s', 'student'), 'instructor')).toThrowError(
      expect.objectContaining({ status: 403 }),
    );
    expect(() => requireRole(undefined, 'student')).toThrowError(expect.objectContaining({ status: 401 }));
  });
});

describe('requireCourseRole', () => {
  const ctx = { repos };
  it('lets the course instructor act as instructor and member', async () => {
    expect(await codeOf(requireCourseRole(ctx, user('teacher', 'instructor'), 'course-1', 'instructor'))).toBe('ok');
    expect(await codeOf(requireCourseRole(ctx, user('teacher', 'instructor'), 'course-1', 'member'))).toBe('ok');
  });
  it('refuses another instructor', async () => {
    expect(await codeOf(requireCourseRole(ctx, user('other', 'instructor'), 'course-1', 'instructor'))).toBe(
      '403 FORBIDDEN',
    );
    expect(await codeOf(requireCourseRole(ctx, user('other', 'instructor'), 'course-1', 'member'))).toBe(
      '403 FORBIDDEN',
    );
  });
  it('lets an enrolled student be a member but never the instructor', async () => {
    expect(await codeOf(requireCourseRole(ctx, user('student', 'student'), 'course-1', 'member'))).toBe('ok');
    expect(await codeOf(requireCourseRole(ctx, user('student', 'student'), 'course-1', 'student'))).toBe('ok');
    expect(await codeOf(requireCourseRole(ctx, user('student', 'student'), 'course-1', 'instructor'))).toBe(
      '403 FORBIDDEN',
    );
  });
  it('refuses a student who is not enrolled', async () => {
    expect(await codeOf(requireCourseRole(ctx, user('stranger', 'student'), 'course-1', 'member'))).toBe(
      '403 FORBIDDEN',
    );
  });
  it('lets an admin act on any course', async () => {
    expect(await codeOf(requireCourseRole(ctx, user('root', 'admin'), 'course-1', 'instructor'))).toBe('ok');
  });
  it('404s an unknown course and 401s an anonymous caller', async () => {
    expect(await codeOf(requireCourseRole(ctx, user('teacher', 'instructor'), 'nope', 'member'))).toBe('404 NOT_FOUND');
    expect(await codeOf(requireCourseRole(ctx, null, 'course-1', 'member'))).toBe('401 UNAUTHENTICATED');
  });
});
