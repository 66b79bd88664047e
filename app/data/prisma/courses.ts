import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import { clampLimit, normalizeJoinCode, type CoursePatch, type CoursesRepository, type NewCourse } from '../repository';
import type { PrismaClient } from './client';
import { COURSE } from './columns';
import { keysetStatements, readKeysetRows, statement, type Reader } from './statements';
import { keysetPage, readKeyset } from './keyset';
import type { Course as CourseRow } from '../../../generated/prisma/client';
import { isMissingReference, isRecordNotFound, isUniqueViolation, pick, toCourse } from './mapping';
import { systemClock, type Clock } from '../repository';

const PATCHABLE = ['title', 'code', 'description', 'joinCode'] as const satisfies readonly (keyof CoursePatch)[];

const BY_ID = statement('courses.byId', `SELECT ${COURSE} FROM courses WHERE id = $1`);
const BY_IDS = statement('courses.byIds', `SELECT ${COURSE} FROM courses WHERE id = ANY($1::text[])`);
/** Newest first on the (created_at DESC, id DESC) index. */
const ALL = keysetStatements('courses.all', `SELECT ${COURSE} FROM courses WHERE true`, 0, {
  at: 'created_at',
  id: 'id',
  dir: 'DESC',
});
/** The cursor's scope: the list is everyone's. */
const EVERY_COURSE = '*';

export function prismaCourses(prisma: PrismaClient, reader: Reader, clock: Clock = systemClock): CoursesRepository {
  return {
    async create(input: NewCourse) {
      const id = newId();
      const now = clock();
      try {
        // The course and its instructor's enrolment commit together or not at all.
        const [row] = await prisma.$transaction([
          prisma.course.create({
            data: {
              id,
              title: input.title,
              code: input.code,
              description: input.description ?? '',
              instructorId: input.instructorId,
              joinCode: normalizeJoinCode(input.joinCode),
              createdAt: now,
              updatedAt: now,
            },
          }),
          prisma.enrollment.create({
            data: { courseId: id, userId: input.instructorId, role: 'instructor', createdAt: now },
          }),
        ]);
        return toCourse(row);
      } catch (error) {
        // courses_join_code_key is the only unique index a caller can hit (the id is fresh).
        if (isUniqueViolation(error)) throw new DataConflictError('joinCode');
        if (isMissingReference(error)) throw new DataNotFoundError('user', input.instructorId);
        throw error;
      }
    },

    async getById(id) {
      const [row] = await reader.rows<CourseRow>(BY_ID, [id]);
      return row ? toCourse(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await reader.rows<CourseRow>(BY_IDS, [[...new Set(ids)]]);
      return rows.map(toCourse);
    },

    async getByJoinCode(joinCode) {
      const row = await prisma.course.findUnique({ where: { joinCode: normalizeJoinCode(joinCode) } });
      return row ? toCourse(row) : null;
    },

    async update(id, patch) {
      const data = pick(patch, PATCHABLE);
      if (data.joinCode !== undefined) data.joinCode = normalizeJoinCode(data.joinCode);
      const archivedAt =
        patch.archivedAt === undefined
          ? {}
          : { archivedAt: patch.archivedAt === null ? null : new Date(patch.archivedAt) };
      try {
        const row = await prisma.course.update({
          where: { id },
          data: { ...data, ...archivedAt, updatedAt: clock() },
        });
        return toCourse(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('course', id);
        if (isUniqueViolation(error)) throw new DataConflictError('joinCode');
        throw error;
      }
    },

    async listAll(page = {}) {
      const limit = clampLimit(page.limit);
      const after = readKeyset(page.cursor, 'courses.all', EVERY_COURSE);
      const rows = await readKeysetRows<CourseRow>(reader, ALL, [], after, limit);
      return keysetPage(rows, limit, 'courses.all', EVERY_COURSE, (r) => r.id, toCourse);
    },
  };
}
