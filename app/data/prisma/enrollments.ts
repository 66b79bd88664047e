import { clampLimit, type EnrollmentsRepository, type Page, type PageRequest } from '../repository';
import type { Enrollment } from '../repository';
import { DataNotFoundError } from '../errors';
import type { PrismaClient } from './client';
import { isMissingReference, isRecordNotFound, toEnrollment } from './mapping';
import { keysetPage, readKeyset } from './keyset';
import { systemClock, type Clock } from '../repository';

export function prismaEnrollments(prisma: PrismaClient, clock: Clock = systemClock): EnrollmentsRepository {
  return {
    async enroll({ courseId, userId, role }) {
      const row = { courseId, userId, role, createdAt: clock() };
      // INSERT ... ON CONFLICT DO NOTHING: concurrent duplicates wait for the winner's commit
      // and then insert nothing, so exactly one caller sees created: true.
      const { count } = await prisma.enrollment
        .createMany({ data: [row], skipDuplicates: true })
        .catch(async (error: unknown) => {
          if (!isMissingReference(error)) throw error;
          // Name what is missing, like every adapter does.
          const course = await prisma.course.findUnique({ where: { id: courseId }, select: { id: true } });
          throw course ? new DataNotFoundError('user', userId) : new DataNotFoundError('course', courseId);
        });
      if (count === 1) return { enrollment: toEnrollment(row), created: true };
      const existing = await prisma.enrollment.findUnique({ where: { courseId_userId: { courseId, userId } } });
      if (!existing) throw new Error(`Enrolment ${courseId}/${userId} vanished during enroll`);
      return { enrollment: toEnrollment(existing), created: false };
    },

    async get(courseId, userId) {
      const row = await prisma.enrollment.findUnique({ where: { courseId_userId: { courseId, userId } } });
      return row ? toEnrollment(row) : null;
    },

    /** Newest first: ORDER BY created_at DESC, course_id DESC (index user_id, created_at, course_id). */
    async listByUser(userId: string, page: PageRequest = {}): Promise<Page<Enrollment>> {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'enrollments.byUser', userId);
      const rows = await prisma.enrollment.findMany({
        where: {
          userId,
          // (created_at, course_id) < cursor, spelled so created_at <= t bounds the index scan.
          ...(after && {
            createdAt: { lte: after.at },
            OR: [{ createdAt: { lt: after.at } }, { courseId: { lt: after.id } }],
          }),
        },
        orderBy: [{ createdAt: 'desc' }, { courseId: 'desc' }],
        take: limit + 1,
      });
      return keysetPage(rows, limit, 'enrollments.byUser', userId, (r) => r.courseId, toEnrollment);
    },

    /** Enrolment order: ORDER BY created_at, user_id (index course_id, created_at, user_id). */
    async listByCourse(courseId: string, page: PageRequest = {}): Promise<Page<Enrollment>> {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'enrollments.byCourse', courseId);
      const rows = await prisma.enrollment.findMany({
        where: {
          courseId,
          // (created_at, user_id) > cursor, spelled so created_at >= t bounds the index scan.
          ...(after && {
            createdAt: { gte: after.at },
            OR: [{ createdAt: { gt: after.at } }, { userId: { gt: after.id } }],
          }),
        },
        orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
        take: limit + 1,
      });
      return keysetPage(rows, limit, 'enrollments.byCourse', courseId, (r) => r.userId, toEnrollment);
    },

    async remove(courseId, userId) {
      try {
        await prisma.enrollment.delete({ where: { courseId_userId: { courseId, userId } } });
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('enrollment', `${courseId}/${userId}`);
        throw error;
      }
    },

    countByCourse: (courseId, role) => prisma.enrollment.count({ where: { courseId, role } }),
  };
}
