/**
 * The DynamoDB tables whose streams the jobs read, and the stream ARNs records carry. On AWS
 * each handler is subscribed to its table's stream (the AWS issue wires that); here the outbox
 * runner builds the same records, with a local stand-in account and stream label.
 */
export const STREAM_TABLES = {
  notification: 'classcast-notifications',
  message: 'classcast-messages',
  /** A grade to send to the LMS: the record of the graded submission (lti-score-stream.ts). */
  ltiScore: 'classcast-submissions',
  /** A mail to send: the record of the outbox entry itself, which lives in classcast-notifications (mail-stream.ts). */
  mail: 'classcast-notifications',
} as const;

export type StreamTopic = keyof typeof STREAM_TABLES;

/** The in-process runner's region, account and label: plainly not a real AWS stream. */
const LOCAL_STREAM = { region: 'local', account: '000000000000', label: 'outbox' };

export function localStreamArn(topic: StreamTopic): string {
  const { region, account, label } = LOCAL_STREAM;
  return `arn:aws:dynamodb:${region}:${account}:table/${STREAM_TABLES[topic]}/stream/${label}`;
}

export const LOCAL_STREAM_REGION = LOCAL_STREAM.region;
