/**
 * The grade passback job as Lambda sees it: records of graded submissions (built the way
 * outbox-records.ts builds them from an `ltiScore` entry) go to `send`; a failed send names
 * its record's SequenceNumber so it is retried; records of another shape are skipped.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxClaim, OutboxEntry, Submission } from '~/data/repository';
import { createLtiScoreHandler, PASSBACK_NOT_CONFIGURED, passbackNotConfigured } from './lti-score-stream';
import { createOutboxRelay } from './outbox-relay';
import { outboxRecord, submissionItemImage } from './outbox-records';

const { logError } = vi.hoisted(() => ({ logError: vi.fn() }));
vi.mock('~/utils/log.server', () => ({ logError, logInfo: vi.fn() }));

const submission = (id: string): Submission => ({
  id,
  assignmentId: 'assignment-1',
  courseId: 'course-1',
  studentId: 'student-1',
  videoId: id,
  videoTitle: 'My answer',
  videoDescription: '',
  fileName: 'a.mp4',
  fileSize: 1000,
  fileType: 'video/mp4',
  durationSeconds: null,
  isLate: false,
  status: 'graded',
  grade: 8.5,
  instructorFeedback: 'Good',
  gradedBy: 'teacher-1',
  gradedAt: '2026-12-02T10:00:00.000Z',
  submittedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
});

const entry = (id: string, submissionId: string): OutboxEntry => ({
  id,
  event: { topic: 'ltiScore', submissionId },
  attempts: 0,
  createdAt: '2026-12-02T10:00:00.000Z',
  lastError: null,
});

const rows = {
  notifications: { getById: async () => null },
  messages: { getById: async () => null },
  submissions: { getById: async (id: string) => (id.startsWith('gone') ? null : submission(id)) },
};

async function recordOf(entryId: string, submissionId: string): Promise<DynamoDBRecord> {
  const record = await outboxRecord(rows, entry(entryId, submissionId));
  if (!record) throw new Error('no record');
  return record;
}

describe('lti score stream handler', () => {
  it('builds a classcast-submissions record of the submission as it is now', async () => {
    const record = await recordOf('e1', 'sub-1');
    expect(record.eventSourceARN).toContain(':table/classcast-submissions/stream/');
    expect(record.dynamodb?.Keys).toEqual(marshall({ submissionId: 'sub-1' }));
    expect(record.dynamodb?.NewImage).toEqual(marshall(submissionItemImage(submission('sub-1'))));
    expect(record.dynamodb?.SequenceNumber).toBe('e1');
    // A submission deleted since has no grade left to send: the entry is done.
    expect(await outboxRecord(rows, entry('e2', 'gone-1'))).toBeNull();
  });

  it('sends each graded submission by id', async () => {
    const sent: string[] = [];
    const handler = createLtiScoreHandler(async (id) => void sent.push(id));
    const response = await handler({ Records: [await recordOf('e1', 'sub-1'), await recordOf('e2', 'sub-2')] });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual(['sub-1', 'sub-2']);
  });

  it('names only the records whose send failed', async () => {
    const handler = createLtiScoreHandler(async (id) => {
      if (id === 'sub-2') throw new Error('the LMS is down');
    });
    const response = await handler({
      Records: [await recordOf('e1', 'sub-1'), await recordOf('e2', 'sub-2'), await recordOf('e3', 'sub-3')],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'e2' }] });
  });

  it('fails every record while passback is not configured, so none is dropped', async () => {
    logError.mockClear();
    const handler = createLtiScoreHandler(passbackNotConfigured);
    const response = await handler({ Records: [await recordOf('e1', 'sub-1'), await recordOf('e2', 'sub-2')] });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'e1' }, { itemIdentifier: 'e2' }] });
    expect(logError).toHaveBeenCalledWith(
      'lti-score-stream: record failed',
      expect.objectContaining({ message: PASSBACK_NOT_CONFIGURED }),
    );
  });

  it('skips, without sending or failing, records of another shape and removals', async () => {
    logError.mockClear();
    const send = vi.fn(async () => {});
    const good = await recordOf('e1', 'sub-1');
    const other = (image: Record<string, unknown>, seq: string): DynamoDBRecord => ({
      ...good,
      dynamodb: { ...good.dynamodb, NewImage: marshall(image) as never, SequenceNumber: seq },
    });
    const removed: DynamoDBRecord = {
      ...good,
      eventName: 'REMOVE',
      dynamodb: { ...good.dynamodb, SequenceNumber: 'e9' },
    };
    const response = await createLtiScoreHandler(send)({
      Records: [
        other({ notificationId: 'n1', entity: 'notification', recipientId: 'u1' }, 'e5'),
        other({ submissionId: 'LTISCORE#sub-1', entity: 'ltiScoreStatus' }, 'e6'),
        other({ entity: 'submission' }, 'e7'),
        { ...good, dynamodb: { ...good.dynamodb, NewImage: undefined, SequenceNumber: 'e8' } },
        removed,
      ],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(send).not.toHaveBeenCalled();
    expect(logError).toHaveBeenCalledTimes(4);
    expect(logError).toHaveBeenCalledWith('lti-score-stream: record skipped', expect.anything());
  });
});

describe('the relay on the notifications stream', () => {
  it('takes an ltiScore entry under its lease and hands its submission to the ltiScore handler', async () => {
    const done: string[] = [];
    const failed: string[] = [];
    const outbox = {
      claim: async (id: string): Promise<OutboxClaim> =>
        done.includes(id) ? { status: 'done' } : { status: 'claimed', entry: entry(id, `sub-${id}`) },
      complete: async (id: string) => void done.push(id),
      fail: async (id: string) => void failed.push(id),
    };
    const sent: string[] = [];
    const none = async () => ({ batchItemFailures: [] });
    const relay = createOutboxRelay({
      outbox,
      rows: rows as never,
      handlers: {
        notification: none,
        message: none,
        ltiScore: createLtiScoreHandler(async (id) => void sent.push(id)),
        mail: none,
      },
    });
    // The entry item as the DynamoDB adapter writes it into classcast-notifications.
    const item = {
      notificationId: 'OUTBOX#x1',
      entity: 'outbox',
      id: 'x1',
      event: { topic: 'ltiScore', submissionId: 'sub-x1' },
      attempts: 0,
      lastError: null,
      createdAt: '2026-12-02T10:00:00.000Z',
    };
    const insert: DynamoDBRecord = {
      eventID: 'ev-1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/classcast-notifications/stream/x',
      dynamodb: { NewImage: marshall(item) as never, SequenceNumber: '000000000000000000001' },
    };
    expect(await relay({ Records: [insert, insert] })).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual(['sub-x1']);
    expect(done).toEqual(['x1']);
    expect(failed).toEqual([]);
  });
});
