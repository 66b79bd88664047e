import { clampLimit, type EnrollmentsRepository, type Page, type PageRequest } from '../repository';
import type { Enrollment } from '../repository';
import { DataNotFoundError } from '../errors';
import type { PrismaClient } from './client';
import { isMissingReference, isRecordNotFound, toEnrollment } from './mapping';
import { keysetPage, readKeyset } from './keyset';
import { systemClock, type Clock } from '../repository';
import type { Enrollment as EnrollmentRow } from '../../../generated/prisma/client';
import { ENROLLMENT } from './columns';
import { keysetStatements, readKeysetRows, statement, type Reader } from './statements';

const ONE = statement('enrollments.one', `SELECT ${ENROLLMENT} FROM enrollments WHERE course_id = $1 AND user_id = $2`);
/** Newest first on the (user_id, created_at DESC, course_id DESC) index. */
const BY_USER = keysetStatements('enrollments.byUser', `SELECT ${ENROLLMENT} FROM enrollments WHERE user_id = $1`, 1, {
  at: 'created_at',
  id: 'course_id',
  dir: 'DESC',
});
/** Enrolment order on the (course_id, created_at, user_id) index. */
const BY_COURSE = keysetStatements(
  'enrollments.byCourse',
  `SELECT ${ENROLLMENT} FROM enrollments WHERE course_id = $1`,
  1,
  { at: 'created_at', id: 'user_id', dir: 'ASC' },
);
const COUNT_BY_COURSE = statement(
  'enrollments.countByCourse',
  `SELECT count(*)::int AS n FROM enrollments WHERE course_id = $1 AND role = $2::course_role`,
);

export function prismaEnrollments(
  prisma: PrismaClient,
  reader: Reader,
  clock: Clock = systemClock,
): EnrollmentsRepository {
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
      const [row] = await reader.rows<EnrollmentRow>(ONE, [courseId, userId]);
      return row ? toEnrollment(row) : null;
    },

    /** Newest first: ORDER BY created_at DESC, course_id DESC (index user_id, created_at, course_id). */
    async listByUser(userId: string, page: PageRequest = {}): Promise<Page<Enrollment>> {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'enrollments.byUser', userId);
      const rows = await readKeysetRows<EnrollmentRow>(reader, BY_USER, [userId], after, limit);
      return keysetPage(rows, limit, 'enrollments.byUser', userId, (r) => r.courseId, toEnrollment);
    },

    /** Enrolment order: ORDER BY created_at, user_id (index course_id, created_at, user_id). */
    async listByCourse(courseId: string, page: PageRequest = {}): Promise<Page<Enrollment>> {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'enrollments.byCourse', courseId);
      const rows = await readKeysetRows<EnrollmentRow>(reader, BY_COURSE, [courseId], after, limit);
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

    async countByCourse(courseId, role) {
      const [row] = await reader.rows<{ n: number }>(COUNT_BY_COURSE, [courseId, role]);
      return row?.n ?? 0;
    },
  };
}
