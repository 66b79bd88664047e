import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataConflictError, DataNotFoundError } from '../errors';
import {
  clampLimit,
  type NewNotification,
  type OutboxEvent,
  type NewSubmissionBundle,
  type LatestScope,
  type PageRequest,
  type Submission,
  type SubmissionsRepository,
} from '../repository';
import { cancellationCodes, isPlausibleId, retryOnConflict, type DynamoContext, type Item } from './client';
import { submittedInteractionItem } from './interaction-items';
import { ENTITY, assignmentKey, submissionKey, timeSort } from './keys';
import { notificationItems } from './notification-items';
import { announceOutboxWrite, outboxPut } from './outbox';
import { queryPage, type ListQuery } from './query';
import { isSubmission, submissionItem, toSubmission } from './submission-items';
import { INDEXES } from './tables';
import { storageKeyClaimItem, videoItem } from './videos';

const CCF = 'ConditionalCheckFailed';

export function createSubmissionsRepository(ctx: DynamoContext): SubmissionsRepository {
  const table = ctx.tables.submissions;

  async function getById(id: string): Promise<Submission | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: submissionKey(id), ConsistentRead: true }));
    return isSubmission(out.Item) ? toSubmission(out.Item) : null;
  }

  /** Newest first on one of the submission indexes. */
  async function list(
    index: string,
    partitionAttr: string,
    value: string,
    plausible: boolean,
    req?: PageRequest,
    filter?: ListQuery['filter'],
  ) {
    const q: ListQuery = {
      table,
      index,
      partitionAttr,
      partitionValue: value,
      keyAttrs: ['submissionId', partitionAttr, 'submittedSort'],
      descending: true,
      plausible,
      filter,
    };
    const page = await queryPage(ctx, q, req);
    return { items: page.items.map(toSubmission), nextCursor: page.nextCursor };
  }

  return {
    async createWithVideo(bundle: NewSubmissionBundle) {
      const { submission: s, video: v } = bundle;
      for (const id of [s.id, v.id, s.assignmentId, s.courseId, s.studentId, v.ownerId, v.courseId]) {
        if (!isPlausibleId(id)) throw new RangeError(`Invalid id "${id}" in submission bundle`);
      }
      const now = ctx.now().toISOString();
      const item = submissionItem({
        ...s,
        status: 'submitted',
        grade: null,
        instructorFeedback: null,
        gradedBy: null,
        gradedAt: null,
        updatedAt: now,
      });
      const put = (TableName: string, Item: Item, key: string) => ({
        Put: { TableName, Item, ConditionExpression: `attribute_not_exists(${key})` },
      });
      try {
        // Submission, video (+ its storage-key claim) and the "submitted" interaction, all
        // conditional on not existing: a retry or a concurrent duplicate writes nothing.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                put(table, item, 'submissionId'),
                put(ctx.tables.videos, videoItem(v, now), 'videoId'),
                put(ctx.tables.videos, storageKeyClaimItem(v.storageKey, v.id, now), 'videoId'),
                put(ctx.tables.interactions, submittedInteractionItem(v, s.studentId, s.submittedAt), 'id'),
                // The count lets deleteUnsubmitted refuse atomically once anyone has submitted.
                {
                  Update: {
                    TableName: ctx.tables.assignments,
                    Key: assignmentKey(s.assignmentId),
                    UpdateExpression: 'ADD #count :one',
                    ConditionExpression: 'attribute_exists(assignmentId) AND #entity = :assignment',
                    ExpressionAttributeNames: { '#count': 'submissionCount', '#entity': 'entity' },
                    ExpressionAttributeValues: { ':one': 1, ':assignment': ENTITY.assignment },
                  },
                },
              ],
            }),
          ),
        );
        return { submission: toSubmission(item), created: true };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[0] === CCF) {
          const existing = await getById(s.id);
          if (existing) return { submission: existing, created: false };
        }
        if (codes?.[1] === CCF || codes?.[3] === CCF) throw new DataConflictError('videoId');
        if (codes?.[2] === CCF) throw new DataConflictError('storageKey');
        if (codes?.[4] === CCF) throw new DataNotFoundError('assignment', s.assignmentId);
        throw err;
      }
    },

    getById,

    listByAssignment: (assignmentId, req) =>
      list(INDEXES.submissionsByAssignment, 'assignmentId', assignmentId, isPlausibleId(assignmentId), req),

    listByAssignmentAndStudent: (assignmentId, studentId, req) =>
      list(
        INDEXES.submissionsByAssignmentStudent,
        'assignmentStudent',
        `${assignmentId}#${studentId}`,
        isPlausibleId(assignmentId) && isPlausibleId(studentId),
        req,
      ),

    /**
     * Newest first through the whole partition, keeping the first item per (assignment,
     * student). No Limit: each call reads up to 1 MB (well over a thousand submissions), so
     * a class's page costs one call, not one per page of 100.
     */
    async latestPerStudent(scope: LatestScope) {
      const byAssignment = 'assignmentId' in scope;
      const partitionValue = byAssignment ? scope.assignmentId : scope.courseId;
      const studentId = byAssignment ? undefined : scope.studentId;
      if (!isPlausibleId(partitionValue) || (studentId !== undefined && !isPlausibleId(studentId))) return [];
      const latest = new Map<string, Submission>();
      let start: Item | undefined;
      do {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: byAssignment ? INDEXES.submissionsByAssignment : INDEXES.submissionsByCourse,
            KeyConditionExpression: '#pk = :pk',
            FilterExpression: studentId ? '#student = :student' : undefined,
            ExpressionAttributeNames: {
              '#pk': byAssignment ? 'assignmentId' : 'courseId',
              ...(studentId && { '#student': 'studentId' }),
            },
            ExpressionAttributeValues: { ':pk': partitionValue, ...(studentId && { ':student': studentId }) },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of (out.Items ?? []) as Item[]) {
          const key = `${item.assignmentId as string}#${item.studentId as string}`;
          if (!latest.has(key)) latest.set(key, toSubmission(item));
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return [...latest.values()];
    },

    listByCourse: (courseId, req, filter = {}) =>
      list(
        INDEXES.submissionsByCourse,
        'courseId',
        courseId,
        isPlausibleId(courseId) && (filter.studentId === undefined || isPlausibleId(filter.studentId)),
        req,
        // queryPage keeps reading until the page is full, so the filter never shortens it.
        filter.studentId
          ? {
              expression: '#student = :student',
              names: { '#student': 'studentId' },
              values: { ':student': filter.studentId },
            }
          : undefined,
      ),

    async grade(input: {
      submissionId: string;
      grade: number;
      feedback: string;
      gradedBy: string;
      notification: NewNotification;
      alsoQueue?: readonly OutboxEvent[];
    }): Promise<Submission> {
      const { submissionId } = input;
      if (!isPlausibleId(submissionId)) throw new DataNotFoundError('submission', submissionId);
      const { recipientId } = input.notification;
      if (!isPlausibleId(recipientId)) throw new DataNotFoundError('user', recipientId);
      const now = ctx.now().toISOString();
      const notification = notificationItems(ctx, input.notification, now);
      try {
        // The grade, the student's notification and the extra outbox entries (the grade's
        // trip to the LMS) commit together or not at all.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: table,
                    Key: submissionKey(submissionId),
                    UpdateExpression:
                      'SET #status = :graded, #grade = :grade, #feedback = :feedback, ' +
                      '#gradedBy = :gradedBy, #gradedAt = :now, #updatedAt = :now, ' +
                      '#gradedStudent = #studentId, #gradedSort = :gradedSort ' +
                      'REMOVE #ungradedAssignment, #ungradedCourse',
                    ConditionExpression: 'attribute_exists(submissionId) AND #entity = :entity',
                    ExpressionAttributeNames: {
                      '#status': 'status',
                      '#grade': 'grade',
                      '#feedback': 'instructorFeedback',
                      '#gradedBy': 'gradedBy',
                      '#gradedAt': 'gradedAt',
                      '#updatedAt': 'updatedAt',
                      '#entity': 'entity',
                      '#gradedStudent': 'gradedStudentId',
                      '#studentId': 'studentId',
                      '#gradedSort': 'gradedSort',
                      '#ungradedAssignment': 'ungradedAssignmentId',
                      '#ungradedCourse': 'ungradedCourseId',
                    },
                    ExpressionAttributeValues: {
                      ':graded': 'graded',
                      ':gradedSort': timeSort(now, submissionId),
                      ':grade': input.grade,
                      ':feedback': input.feedback,
                      ':gradedBy': input.gradedBy,
                      ':now': now,
                      ':entity': ENTITY.submission,
                    },
                  },
                },
                ...notification,
                ...(input.alsoQueue ?? []).map((event) => outboxPut(ctx, event, now)),
              ],
            }),
          ),
        );
        announceOutboxWrite(ctx);
      } catch (err) {
        if (cancellationCodes(err)?.[0] === CCF) throw new DataNotFoundError('submission', submissionId);
        throw err;
      }
      const graded = await getById(submissionId);
      if (!graded) throw new DataNotFoundError('submission', submissionId);
      return graded;
    },

    async listUngradedByCourses(courseIds, limit) {
      const n = clampLimit(limit);
      const courses = [...new Set(courseIds)].filter(isPlausibleId);
      // One Query per course on the sparse index, oldest first; merged, the oldest n win.
      const perCourse = await Promise.all(
        courses.map((courseId) =>
          sortedQuery(INDEXES.ungradedSubmissionsByCourse, 'ungradedCourseId', courseId, {
            limit: n,
            descending: false,
          }),
        ),
      );
      return perCourse
        .flat()
        .sort((a, b) => String(a.submittedSort).localeCompare(String(b.submittedSort)))
        .slice(0, n)
        .map(toSubmission);
    },

    async listGradedByStudent(studentId, limit) {
      if (!isPlausibleId(studentId)) return [];
      const items = await sortedQuery(INDEXES.gradedSubmissionsByStudent, 'gradedStudentId', studentId, {
        limit: clampLimit(limit),
        descending: true,
      });
      return items.map(toSubmission);
    },

    async adjacentUngraded(assignmentId, from) {
      if (!isPlausibleId(assignmentId)) return { previous: null, next: null };
      const position = timeSort(from.submittedAt, from.id);
      const neighbour = async (descending: boolean) => {
        const [item] = await sortedQuery(
          INDEXES.ungradedSubmissionsByAssignment,
          'ungradedAssignmentId',
          assignmentId,
          {
            limit: 1,
            descending,
            beyond: { attr: 'submittedSort', value: position },
          },
        );
        return item ? toSubmission(item) : null;
      };
      const [previous, next] = await Promise.all([neighbour(true), neighbour(false)]);
      return { previous, next };
    },
  };

  /** The first `limit` items of a sparse index partition (no filter, so Limit is exact). */
  async function sortedQuery(
    index: string,
    partitionAttr: string,
    value: string,
    opts: { limit: number; descending: boolean; beyond?: { attr: string; value: string } },
  ): Promise<Item[]> {
    const beyond = opts.beyond ? ` AND #sort ${opts.descending ? '<' : '>'} :sort` : '';
    const out = await ctx.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: `#pk = :pk${beyond}`,
        ExpressionAttributeNames: { '#pk': partitionAttr, ...(opts.beyond && { '#sort': opts.beyond.attr }) },
        ExpressionAttributeValues: { ':pk': value, ...(opts.beyond && { ':sort': opts.beyond.value }) },
        ScanIndexForward: !opts.descending,
        Limit: opts.limit,
      }),
    );
    return ((out.Items ?? []) as Item[]).filter(isSubmission);
  }
}
