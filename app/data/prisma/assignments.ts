import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import { clampLimit, type AssignmentPatch, type AssignmentsRepository, type NewAssignment } from '../repository';
import type { PrismaClient } from './client';
import { keysetPageBy, keysetWhere, readKeyset } from './keyset';
import { Prisma, type Assignment as AssignmentRow } from '../../../generated/prisma/client';
import { ASSIGNMENT_COLUMNS, readFeedWindow } from './feed-windows';
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

export function prismaAssignments(prisma: PrismaClient, clock: Clock = systemClock): AssignmentsRepository {
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
      const row = await prisma.assignment.findUnique({ where: { id } });
      return row ? toAssignment(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await prisma.assignment.findMany({ where: { id: { in: [...new Set(ids)] } } });
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
      const rows = await prisma.assignment.findMany({
        where: {
          courseId,
          ...(!includeDrafts && { status: { in: ['published', 'closed'] } }),
          ...keysetWhere(after, 'dueDate', 'id', 'asc'),
        },
        orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
        take: limit + 1,
      });
      return keysetPageBy(rows, limit, list, scope, (r) => ({ at: r.dueDate, id: r.id }), toAssignment);
    },

    countByCourse: (courseId, { includeDrafts }) =>
      prisma.assignment.count({
        where: { courseId, ...(!includeDrafts && { status: { in: ['published', 'closed'] } }) },
      }),

    /** WHERE course_id IN (...) AND status = 'published' AND due_date >= ? ORDER BY due_date, id LIMIT n. */
    async listDueByCourses(courseIds, from, limit) {
      if (courseIds.length === 0) return [];
      const rows = await prisma.assignment.findMany({
        where: { courseId: { in: [...new Set(courseIds)] }, status: 'published', dueDate: { gte: new Date(from) } },
        orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
        take: clampLimit(limit),
      });
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
      const source = {
        table: 'assignments',
        timeColumn: 'published_at',
        timeAlias: 'publishedAt',
        columns: ASSIGNMENT_COLUMNS,
        filter: Prisma.sql`t.status IN ('published', 'closed') AND t.published_at IS NOT NULL`,
      } as const;
      return (await readFeedWindow<AssignmentRow>(prisma, source, window)).map(toAssignment);
    },
  };
}
