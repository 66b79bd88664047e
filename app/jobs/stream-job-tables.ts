/**
 * The streamed tables (STREAMED_TABLES in app/data/dynamo/tables.ts) that a job reads: each
 * gets a `<table>Stream` Lambda entry point (lambda.ts), a function and an event source mapping
 * in infra/, and the local poller's attention. A table may stream without a job: classcast-
 * interactions streams as in the original, but its counters stay in the writing transaction
 * and its notifications travel on the notifications stream, so nothing reads it yet (ADR 020).
 * Kept apart from stream-jobs.ts so infra/ can read the list without loading the handlers; the
 * names are table keys (app/jobs never imports the adapter: lambda.test.ts and infra check them).
 */
export const STREAM_JOB_TABLES = ['users', 'notifications'] as const;

export type StreamedTable = (typeof STREAM_JOB_TABLES)[number];
