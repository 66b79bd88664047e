import { DataConflictError, DataNotFoundError } from '../errors';
import {
  clampLimit,
  type LatestScope,
  type NewSubmissionBundle,
  type Page,
  type PageRequest,
  type Submission,
  type SubmissionsRepository,
} from '../repository';
import type { Prisma } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { keysetPageBy, keysetWhere, readKeyset } from './keyset';
import { toSubmission } from './coursework-mapping';
import { notificationRefs, writeNotification } from './notification-sql';
import type { OutboxSignal } from './outbox';
import { isRecordNotFound, isUniqueViolation, missingReferenceError, uniqueViolationFields } from './mapping';
import { systemClock, type Clock } from '../repository';

/** The deterministic id of a video's "submitted" interaction, so a retry cannot add a second. */
export const submittedInteractionId = (videoId: string): string => `submitted_${videoId}`;

export function prismaSubmissions(
  prisma: PrismaClient,
  signal: OutboxSignal,
  clock: Clock = systemClock,
): SubmissionsRepository {
  /** Newest first: ORDER BY submitted_at DESC, id DESC on the matching (key..., submitted_at DESC, id DESC) index. */
  async function list(
    name: string,
    where: Prisma.SubmissionWhereInput,
    scope: string,
    page: PageRequest,
  ): Promise<Page<Submission>> {
    const limit = clampLimit(page.limit);
    const listName = `submissions.${name}`;
    const after = readKeyset(page.cursor, listName, scope);
    const rows = await prisma.submission.findMany({
      where: { ...where, ...keysetWhere(after, 'submittedAt', 'id', 'desc') },
      orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    return keysetPageBy(rows, limit, listName, scope, (r) => ({ at: r.submittedAt, id: r.id }), toSubmission);
  }

  return {
    async createWithVideo({ submission: s, video: v }: NewSubmissionBundle) {
      // Every row of the bundle is stamped with the submission time, so a retry is identical.
      const at = new Date(s.submittedAt);
      try {
        // One transaction (BEGIN; 3 INSERTs; COMMIT). A concurrent duplicate blocks on the
        // submissions primary key until the first commits, then fails with a unique violation;
        // Prisma rolls its transaction back before we read the stored row below.
        const [row] = await prisma.$transaction([
          prisma.submission.create({
            data: {
              id: s.id,
              assignmentId: s.assignmentId,
              courseId: s.courseId,
              studentId: s.studentId,
              videoId: s.videoId,
              videoTitle: s.videoTitle,
              videoDescription: s.videoDescription,
              fileName: s.fileName,
              fileSize: s.fileSize,
              fileType: s.fileType,
              durationSeconds: s.durationSeconds,
              isLate: s.isLate,
              status: 'submitted',
              submittedAt: at,
              updatedAt: at,
            },
          }),
          prisma.video.create({
            data: {
              id: v.id,
              ownerId: v.ownerId,
              courseId: v.courseId,
              assignmentId: v.assignmentId,
              submissionId: v.submissionId,
              title: v.title,
              description: v.description,
              storageKey: v.storageKey,
              contentType: v.contentType,
              sizeBytes: v.sizeBytes,
              durationSeconds: v.durationSeconds,
              visibility: v.visibility,
              createdAt: at,
              updatedAt: at,
            },
          }),
          prisma.interaction.create({
            data: {
              id: submittedInteractionId(v.id),
              videoId: v.id,
              courseId: v.courseId,
              targetOwnerId: v.ownerId,
              userId: s.studentId,
              type: 'submitted',
              createdAt: at,
            },
          }),
        ]);
        return { submission: toSubmission(row), created: true };
      } catch (error) {
        if (isUniqueViolation(error)) {
          const existing = await prisma.submission.findUnique({ where: { id: s.id } });
          if (existing) return { submission: toSubmission(existing), created: false };
          // Not a retry: another video already holds this id or storage key.
          throw new DataConflictError(uniqueViolationFields(error).includes('storage_key') ? 'storageKey' : 'videoId');
        }
        throw (
          missingReferenceError(error, {
            submissions_assignment_id_fkey: ['assignment', s.assignmentId],
            submissions_course_id_fkey: ['course', s.courseId],
            submissions_student_id_fkey: ['user', s.studentId],
            videos_owner_id_fkey: ['user', v.ownerId],
            videos_course_id_fkey: ['course', v.courseId],
            videos_assignment_id_fkey: ['assignment', v.assignmentId ?? ''],
            videos_submission_id_fkey: ['submission', v.submissionId ?? ''],
          }) ?? error
        );
      }
    },

    async getById(id) {
      const row = await prisma.submission.findUnique({ where: { id } });
      return row ? toSubmission(row) : null;
    },

    listByAssignment: (assignmentId, page = {}) => list('byAssignment', { assignmentId }, assignmentId, page),
    listByAssignmentAndStudent: (assignmentId, studentId, page = {}) =>
      list('byAssignmentAndStudent', { assignmentId, studentId }, `${assignmentId}|${studentId}`, page),
    /** One SELECT; `distinct` keeps the first row per (assignment, student) in this order. */
    async latestPerStudent(scope: LatestScope) {
      const where: Prisma.SubmissionWhereInput =
        'assignmentId' in scope
          ? { assignmentId: scope.assignmentId }
          : { courseId: scope.courseId, ...(scope.studentId && { studentId: scope.studentId }) };
      const rows = await prisma.submission.findMany({
        where,
        distinct: ['assignmentId', 'studentId'],
        orderBy: [{ assignmentId: 'asc' }, { studentId: 'asc' }, { submittedAt: 'desc' }, { id: 'desc' }],
      });
      return rows.map(toSubmission);
    },

    listByCourse: (courseId, page = {}, filter = {}) =>
      filter.studentId
        ? list('byCourseStudent', { courseId, studentId: filter.studentId }, `${courseId}#${filter.studentId}`, page)
        : list('byCourse', { courseId }, courseId, page),

    async grade({ submissionId, grade, feedback, gradedBy, notification: n }) {
      const now = clock();
      try {
        // One transaction: if the UPDATE finds no submission it fails (P2025) and the
        // notification INSERT is rolled back with it.
        const [row] = await prisma.$transaction([
          prisma.submission.update({
            where: { id: submissionId },
            data: { status: 'graded', grade, instructorFeedback: feedback, gradedBy, gradedAt: now, updatedAt: now },
          }),
          writeNotification(prisma, n, now),
        ]);
        signal.written();
        return toSubmission(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('submission', submissionId);
        throw (
          missingReferenceError(error, {
            submissions_graded_by_fkey: ['user', gradedBy],
            ...notificationRefs(n),
          }) ?? error
        );
      }
    },

    /** WHERE course_id IN (...) AND status = 'submitted' ORDER BY submitted_at, id LIMIT n. */
    async listUngradedByCourses(courseIds, limit) {
      if (courseIds.length === 0) return [];
      const rows = await prisma.submission.findMany({
        where: { courseId: { in: [...new Set(courseIds)] }, status: 'submitted' },
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
        take: clampLimit(limit),
      });
      return rows.map(toSubmission);
    },

    async listGradedByStudent(studentId, limit) {
      const rows = await prisma.submission.findMany({
        where: { studentId, status: 'graded' },
        orderBy: [{ gradedAt: 'desc' }, { id: 'desc' }],
        take: clampLimit(limit),
      });
      return rows.map(toSubmission);
    },

    async adjacentUngraded(assignmentId, from) {
      const at = new Date(from.submittedAt);
      const neighbour = (order: 'asc' | 'desc') =>
        prisma.submission.findFirst({
          where: {
            AND: [{ assignmentId, status: 'submitted' }, keysetWhere({ at, id: from.id }, 'submittedAt', 'id', order)],
          },
          orderBy: [{ submittedAt: order }, { id: order }],
        });
      const [previous, next] = await Promise.all([neighbour('desc'), neighbour('asc')]);
      return { previous: previous && toSubmission(previous), next: next && toSubmission(next) };
    },
  };
}
