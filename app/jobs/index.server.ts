/**
 * The process's jobs over the service context's ports (app/container.server.ts starts and
 * stops them): the outbox runner feeding the stream handlers from the outbox, or, when the
 * DynamoDB tables' streams carry the events (docs/decisions/020-stream-jobs.md), the stream
 * poller feeding them from the streams. Never both: the streams carry every outbox entry.
 */
import type { ServiceContext } from '~/services/context';
import { createOutboxRunner, type OutboxRunnerOptions } from './outbox-runner.server';
import type { CheckpointStore } from './stream-checkpoints.server';
import { streamHandlers, outboxHandlers, type JobEffects, type StreamedTable } from './stream-jobs';
import { createStreamPoller, type StreamReader } from './stream-poller.server';

export interface Jobs {
  start(): void;
  /** One bounded pass now (tests). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamJobsSource {
  reader: StreamReader;
  checkpoints: CheckpointStore;
  /** The deployed name of each streamed table. */
  tableNames: Record<StreamedTable, string>;
  pollMs?: number;
}

export function createJobs(
  ctx: Pick<ServiceContext, 'repos' | 'bus'>,
  opts: Omit<OutboxRunnerOptions, 'outbox' | 'rows' | 'handlers'> & {
    streams?: StreamJobsSource;
    effects?: JobEffects;
  } = {},
): Jobs {
  const { streams, effects, ...runnerOptions } = opts;
  if (streams) {
    const handlers = streamHandlers(ctx, effects);
    const poller = createStreamPoller({
      reader: streams.reader,
      checkpoints: streams.checkpoints,
      pollMs: streams.pollMs,
      subscriptions: (Object.keys(handlers) as StreamedTable[]).map((table) => ({
        tableName: streams.tableNames[table],
        handler: handlers[table],
      })),
    });
    return { start: poller.start, runNow: poller.pollOnce, stop: poller.stop };
  }
  return createOutboxRunner({
    ...runnerOptions,
    outbox: ctx.repos.outbox,
    rows: ctx.repos,
    handlers: outboxHandlers(ctx, effects),
  });
}
