import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import { clampLimit, type AssignmentPatch, type AssignmentsRepository, type NewAssignment } from '../repository';
import type { PrismaClient } from './client';
import { keysetPageBy, readKeyset } from './keyset';
import type { Assignment as AssignmentRow } from '../../../generated/prisma/client';
import { ASSIGNMENT } from './columns';
import { feedStatements, readFeedWindow } from './feed-windows';
import { keysetStatements, readKeysetRows, statement, type Reader } from './statements';
import { toAssignment } from './coursework-mapping';
import { isRecordNotFound, missingReferenceError, pick } from './mapping';
import { systemClock, type Clock } from '../repository';

const PATCHABLE = [
  'title',
  'description',
  'maxScore',
  'status',
  'visibility',
] as const satisfies readonly (keyof AssignmentPatch)[];

const LIVE = `status IN ('published', 'closed')`;
const BY_ID = statement('assignments.byId', `SELECT ${ASSIGNMENT} FROM assignments WHERE id = $1`);
const BY_IDS = statement('assignments.byIds', `SELECT ${ASSIGNMENT} FROM assignments WHERE id = ANY($1::text[])`);
/** Soonest due first on the (course_id, due_date, id) index; drafts are filtered before LIMIT. */
const BY_COURSE = {
  all: keysetStatements('assignments.byCourse', `SELECT ${ASSIGNMENT} FROM assignments WHERE course_id = $1`, 1, {
    at: 'due_date',
    id: 'id',
    dir: 'ASC',
  }),
  live: keysetStatements(
    'assignments.byCourseLive',
    `SELECT ${ASSIGNMENT} FROM assignments WHERE course_id = $1 AND ${LIVE}`,
    1,
    { at: 'due_date', id: 'id', dir: 'ASC' },
  ),
};
const COUNT_BY_COURSE = {
  all: statement('assignments.count', `SELECT count(*)::int AS n FROM assignments WHERE course_id = $1`),
  live: statement(
    'assignments.countLive',
    `SELECT count(*)::int AS n FROM assignments WHERE course_id = $1 AND ${LIVE}`,
  ),
};
const DUE_BY_COURSES = statement(
  'assignments.dueByCourses',
  `SELECT ${ASSIGNMENT} FROM assignments
   WHERE course_id = ANY($1::text[]) AND status = 'published' AND due_date >= $2
   ORDER BY due_date, id LIMIT $3`,
);
const FEED = feedStatements('assignments.feed', {
  table: 'assignments',
  timeColumn: 'published_at',
  timeAlias: 'publishedAt',
  columns: ASSIGNMENT,
  filter: `t.status IN ('published', 'closed') AND t.published_at IS NOT NULL`,
  filterParams: 0,
});

export function prismaAssignments(
  prisma: PrismaClient,
  reader: Reader,
  clock: Clock = systemClock,
): AssignmentsRepository {
  return {
    async create(input: NewAssignment) {
      const now = clock();
      try {
        const row = await prisma.assignment.create({
          data: {
            id: newId(),
            courseId: input.courseId,
            instructorId: input.instructorId,
            title: input.title,
            description: input.description,
            dueDate: new Date(input.dueDate),
            maxScore: input.maxScore,
            status: input.status,
            visibility: input.visibility,
            publishedAt: input.status === 'draft' ? null : now,
            createdAt: now,
            updatedAt: now,
          },
        });
        return toAssignment(row);
      } catch (error) {
        throw (
          missingReferenceError(error, {
            assignments_course_id_fkey: ['course', input.courseId],
            assignments_instructor_id_fkey: ['user', input.instructorId],
          }) ?? error
        );
      }
    },

    async getById(id) {
      const [row] = await reader.rows<AssignmentRow>(BY_ID, [id]);
      return row ? toAssignment(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await reader.rows<AssignmentRow>(BY_IDS, [[...new Set(ids)]]);
      return rows.map(toAssignment);
    },

    async update(id, patch) {
      const data = {
        ...pick(patch, PATCHABLE),
        ...(patch.dueDate !== undefined && { dueDate: new Date(patch.dueDate) }),
        updatedAt: clock(),
      };
      try {
        if (patch.status === undefined || patch.status === 'draft') {
          return toAssignment(await prisma.assignment.update({ where: { id }, data }));
        }
        // Leaving draft stamps the first publication; COALESCE keeps an earlier one, in SQL,
        // so two concurrent publishes cannot overwrite each other's time.
        const [, row] = await prisma.$transaction([
          prisma.$executeRaw`UPDATE assignments SET published_at = COALESCE(published_at, ${data.updatedAt.toISOString()}::timestamptz) WHERE id = ${id}`,
          prisma.assignment.update({ where: { id }, data }),
        ]);
        return toAssignment(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('assignment', id);
        throw error;
      }
    },

    /**
     * Soonest due first: WHERE course_id = ? [AND status <> 'draft'] ORDER BY due_date, id
     * (index course_id, due_date, id). Drafts are filtered before LIMIT, so pages are full.
     */
    async listByCourse(courseId, { includeDrafts }, page = {}) {
      const limit = clampLimit(page.limit);
      const list = 'assignments.byCourse';
      const scope = `${courseId}|${includeDrafts ? 'all' : 'live'}`;
      const after = readKeyset(page.cursor, list, scope);
      const statements = includeDrafts ? BY_COURSE.all : BY_COURSE.live;
      const rows = await readKeysetRows<AssignmentRow>(reader, statements, [courseId], after, limit);
      return keysetPageBy(rows, limit, list, scope, (r) => ({ at: r.dueDate, id: r.id }), toAssignment);
    },

    async countByCourse(courseId, { includeDrafts }) {
      const [row] = await reader.rows<{ n: number }>(includeDrafts ? COUNT_BY_COURSE.all : COUNT_BY_COURSE.live, [
        courseId,
      ]);
      return row?.n ?? 0;
    },

    /** WHERE course_id IN (...) AND status = 'published' AND due_date >= ? ORDER BY due_date, id LIMIT n. */
    async listDueByCourses(courseIds, from, limit) {
      if (courseIds.length === 0) return [];
      const rows = await reader.rows<AssignmentRow>(DUE_BY_COURSES, [
        [...new Set(courseIds)],
        new Date(from),
        clampLimit(limit),
      ]);
      return rows.map(toAssignment);
    },

    async deleteUnsubmitted(id) {
      await prisma.$transaction(async (tx) => {
        // The row lock waits for any finalize that is inserting a submission (its foreign key
        // holds a share lock on this row), so the count below sees it: a submitted assignment
        // can never be deleted together with its submissions by the cascade.
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM assignments WHERE id = ${id} FOR UPDATE`;
        if (locked.length === 0) throw new DataNotFoundError('assignment', id);
        if ((await tx.submission.count({ where: { assignmentId: id } })) > 0) {
          throw new DataConflictError('submissions');
        }
        await tx.assignment.delete({ where: { id } });
      });
    },

    /** Published or closed, per course on (course_id, published_at DESC, id DESC), merged. */
    async listPublishedForFeed(window) {
      return (await readFeedWindow<AssignmentRow>(reader, FEED, window)).map(toAssignment);
    },
  };
}
