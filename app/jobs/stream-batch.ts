/**
 * The loop every stream handler shares: each record on its own, so one failure names only
 * itself in `batchItemFailures` (Lambda's ReportBatchItemFailures) and the rest count as done.
 * A record the handler cannot read is skipped, not failed: retrying it would never succeed
 * and would hold back the shard behind it.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logError } from '~/utils/log.server';
import { recordIdentifier } from './stream-images';

export type RecordOutcome = 'done' | 'skipped';

export async function handleEachRecord(
  handler: string,
  event: DynamoDBStreamEvent,
  handleRecord: (record: DynamoDBRecord) => Promise<RecordOutcome>,
): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records ?? []) {
    try {
      await handleRecord(record);
    } catch (error) {
      logError(`${handler}: record failed`, error);
      // Without a sequence number Lambda cannot tell which one failed: the whole batch retries.
      batchItemFailures.push({ itemIdentifier: recordIdentifier(record) ?? '' });
    }
  }
  return { batchItemFailures };
}

export function skipUnreadable(handler: string, record: DynamoDBRecord, reason: string): RecordOutcome {
  logError(`${handler}: record skipped`, { eventID: record.eventID, reason });
  return 'skipped';
}
