/**
 * classcast-users stream → open live streams of sessions that ended. Auth sessions live in
 * classcast-users (app/data/dynamo/auth-sessions.ts); a session revoked by any process (sign-
 * out elsewhere, refresh-token reuse, a script) or deleted (DynamoDB TTL removes it a day
 * after it expired) closes that session's /events streams on every web process. The effect is
 * naturally idempotent: a session's streams close once, and a second `session-ended` (a
 * record delivered twice, or the web tier's own publish at sign-out) finds none left open.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { RealtimeBus } from '~/realtime/bus';
import { handleEachRecord, skipUnreadable } from './stream-batch';
import { readNewImage, readOldImage } from './stream-images';

export interface UsersStreamDeps {
  bus: Pick<RealtimeBus, 'publish'>;
}

const HANDLER = 'users-stream';

const isSessionItem = z.object({ entity: z.literal('authSession') });
const sessionImage = z.object({
  entity: z.literal('authSession'),
  id: z.string().min(1),
  sessionUserId: z.string().min(1),
  revoked: z.boolean().optional().default(false),
});

/** The session this record ends, if it ends one (revoked now, or removed while still live). */
function endedSession(record: DynamoDBRecord) {
  if (record.eventName === 'MODIFY') {
    const after = readNewImage(record, sessionImage);
    if (!after.ok) return after;
    const before = readOldImage(record, sessionImage);
    const wasRevoked = before.ok && before.image.revoked;
    return { ok: true as const, session: after.image.revoked && !wasRevoked ? after.image : null };
  }
  if (record.eventName === 'REMOVE') {
    const before = readOldImage(record, sessionImage);
    if (!before.ok) return before;
    return { ok: true as const, session: before.image.revoked ? null : before.image };
  }
  return { ok: true as const, session: null };
}

export function createUsersStreamHandler(deps: UsersStreamDeps) {
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    handleEachRecord(HANDLER, event, async (record) => {
      const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
      // Users, e-mail claims: nothing live depends on them.
      if (!image || !readImageOf(record, isSessionItem)) return 'skipped';
      const ended = endedSession(record);
      if (!ended.ok) return skipUnreadable(HANDLER, record, ended.reason);
      if (!ended.session) return 'skipped';
      await deps.bus.publish({
        type: 'session-ended',
        userId: ended.session.sessionUserId,
        sessionId: ended.session.id,
      });
      return 'done';
    });
}

function readImageOf(record: DynamoDBRecord, schema: z.ZodType): boolean {
  return readNewImage(record, schema).ok || readOldImage(record, schema).ok;
}
