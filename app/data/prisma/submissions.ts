import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  clampLimit,
  type LatestScope,
  type NewSubmissionBundle,
  type Page,
  type PageRequest,
  type Submission,
  type SubmissionsRepository,
} from '../repository';
import type { Submission as SubmissionRow } from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { SUBMISSION } from './columns';
import { keysetPageBy, readKeyset } from './keyset';
import {
  keysetStatements,
  readKeysetRows,
  statement,
  type KeysetStatements,
  type Reader,
  type WireRow,
} from './statements';
import { toSubmission } from './coursework-mapping';
import { notificationRefs, writeNotification } from './notification-sql';
import type { OutboxSignal } from './outbox';
import { isRecordNotFound, isUniqueViolation, missingReferenceError, uniqueViolationFields } from './mapping';
import { systemClock, type Clock } from '../repository';

/** The deterministic id of a video's "submitted" interaction, so a retry cannot add a second. */
export const submittedInteractionId = (videoId: string): string => `submitted_${videoId}`;

const FROM = `SELECT ${SUBMISSION} FROM submissions`;
const newestFirst = { at: 'submitted_at', id: 'id', dir: 'DESC' } as const;
/** Each on its matching (key..., submitted_at DESC, id DESC) index. */
const LISTS = {
  byAssignment: keysetStatements('submissions.byAssignment', `${FROM} WHERE assignment_id = $1`, 1, newestFirst),
  byAssignmentAndStudent: keysetStatements(
    'submissions.byAssignmentStudent',
    `${FROM} WHERE assignment_id = $1 AND student_id = $2`,
    2,
    newestFirst,
  ),
  byCourse: keysetStatements('submissions.byCourse', `${FROM} WHERE course_id = $1`, 1, newestFirst),
  byCourseStudent: keysetStatements(
    'submissions.byCourseStudent',
    `${FROM} WHERE course_id = $1 AND student_id = $2`,
    2,
    newestFirst,
  ),
} satisfies Record<string, KeysetStatements>;
const BY_ID = statement('submissions.byId', `${FROM} WHERE id = $1`);
/** The first row per (assignment, student) in newest-first order. */
const latest = (name: string, where: string) =>
  statement(
    `submissions.latest${name}`,
    `SELECT DISTINCT ON (assignment_id, student_id) ${SUBMISSION} FROM submissions WHERE ${where}
     ORDER BY assignment_id, student_id, submitted_at DESC, id DESC`,
  );
const LATEST = {
  byAssignment: latest('ByAssignment', 'assignment_id = $1'),
  byCourse: latest('ByCourse', 'course_id = $1'),
  byCourseStudent: latest('ByCourseStudent', 'course_id = $1 AND student_id = $2'),
};
const UNGRADED_BY_COURSES = statement(
  'submissions.ungradedByCourses',
  `${FROM} WHERE course_id = ANY($1::text[]) AND status = 'submitted' ORDER BY submitted_at, id LIMIT $2`,
);
const GRADED_BY_STUDENT = statement(
  'submissions.gradedByStudent',
  `${FROM} WHERE student_id = $1 AND status = 'graded' ORDER BY graded_at DESC, id DESC LIMIT $2`,
);
/** The ungraded neighbours of a submission in (submitted_at, id) order. */
const neighbour = (name: string, cmp: '<' | '>', dir: 'ASC' | 'DESC') =>
  statement(
    `submissions.${name}Ungraded`,
    `${FROM} WHERE assignment_id = $1 AND status = 'submitted'
       AND submitted_at ${cmp}= $2 AND (submitted_at ${cmp} $2 OR id ${cmp} $3)
     ORDER BY submitted_at ${dir}, id ${dir} LIMIT 1`,
  );
const PREVIOUS_UNGRADED = neighbour('previous', '<', 'DESC');
const NEXT_UNGRADED = neighbour('next', '>', 'ASC');

export function prismaSubmissions(
  prisma: PrismaClient,
  reader: Reader,
  signal: OutboxSignal,
  clock: Clock = systemClock,
): SubmissionsRepository {
  /** Newest first: ORDER BY submitted_at DESC, id DESC. */
  async function list(
    name: keyof typeof LISTS,
    values: string[],
    scope: string,
    page: PageRequest,
  ): Promise<Page<Submission>> {
    const limit = clampLimit(page.limit);
    const listName = `submissions.${name}`;
    const after = readKeyset(page.cursor, listName, scope);
    const rows = await readKeysetRows<WireRow<SubmissionRow>>(reader, LISTS[name], values, after, limit);
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
      const [row] = await reader.rows<WireRow<SubmissionRow>>(BY_ID, [id]);
      return row ? toSubmission(row) : null;
    },

    listByAssignment: (assignmentId, page = {}) => list('byAssignment', [assignmentId], assignmentId, page),
    listByAssignmentAndStudent: (assignmentId, studentId, page = {}) =>
      list('byAssignmentAndStudent', [assignmentId, studentId], `${assignmentId}|${studentId}`, page),
    /** One SELECT DISTINCT ON (assignment, student): the newest row of each pair. */
    async latestPerStudent(scope: LatestScope) {
      const rows =
        'assignmentId' in scope
          ? await reader.rows<WireRow<SubmissionRow>>(LATEST.byAssignment, [scope.assignmentId])
          : scope.studentId
            ? await reader.rows<WireRow<SubmissionRow>>(LATEST.byCourseStudent, [scope.courseId, scope.studentId])
            : await reader.rows<WireRow<SubmissionRow>>(LATEST.byCourse, [scope.courseId]);
      return rows.map(toSubmission);
    },

    listByCourse: (courseId, page = {}, filter = {}) =>
      filter.studentId
        ? list('byCourseStudent', [courseId, filter.studentId], `${courseId}#${filter.studentId}`, page)
        : list('byCourse', [courseId], courseId, page),

    async grade({ submissionId, grade, feedback, gradedBy, notification: n, alsoQueue = [] }) {
      const now = clock();
      try {
        // One transaction: if the UPDATE finds no submission it fails (P2025) and the
        // notification INSERT and the extra outbox entries are rolled back with it.
        const [row] = await prisma.$transaction([
          prisma.submission.update({
            where: { id: submissionId },
            data: { status: 'graded', grade, instructorFeedback: feedback, gradedBy, gradedAt: now, updatedAt: now },
          }),
          writeNotification(prisma, n, now),
          ...alsoQueue.map((event) =>
            prisma.outboxEntry.create({
              data: { id: newId(), topic: event.topic, payload: { ...event }, createdAt: now, availableAt: now },
            }),
          ),
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
      const rows = await reader.rows<WireRow<SubmissionRow>>(UNGRADED_BY_COURSES, [
        [...new Set(courseIds)],
        clampLimit(limit),
      ]);
      return rows.map(toSubmission);
    },

    async listGradedByStudent(studentId, limit) {
      const rows = await reader.rows<WireRow<SubmissionRow>>(GRADED_BY_STUDENT, [studentId, clampLimit(limit)]);
      return rows.map(toSubmission);
    },

    async adjacentUngraded(assignmentId, from) {
      const values = [assignmentId, new Date(from.submittedAt), from.id];
      const [[previous], [next]] = await Promise.all([
        reader.rows<WireRow<SubmissionRow>>(PREVIOUS_UNGRADED, values),
        reader.rows<WireRow<SubmissionRow>>(NEXT_UNGRADED, values),
      ]);
      return { previous: previous ? toSubmission(previous) : null, next: next ? toSubmission(next) : null };
    },
  };
}
