/**
 * The process's jobs over the service context's ports (app/container.server.ts starts and
 * stops them): the outbox runner feeding the stream handlers from the outbox, or, when the
 * DynamoDB tables' streams carry the events (docs/decisions/020-stream-jobs.md), the stream
 * poller feeding them from the streams (or Lambda doing so, `sweepOnly`), plus the outbox
 * sweep: the same runner on a slow poll, for what a stream record cannot deliver at once (an
 * entry due later, such as a day's digest; one whose delivery failed or whose worker died; a
 * topic the stream's process has no means for). Leases keep every entry single.
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

/** How often the outbox sweep looks for due entries beside a stream consumer. */
export const OUTBOX_SWEEP_MS = 30_000;

export function createJobs(
  ctx: Pick<ServiceContext, 'repos' | 'bus'>,
  opts: Omit<OutboxRunnerOptions, 'outbox' | 'rows' | 'handlers'> & {
    streams?: StreamJobsSource;
    /** Lambda consumes the streams (STREAM_JOBS=lambda): this process runs only the sweep. */
    sweepOnly?: boolean;
    sweepMs?: number;
    effects?: JobEffects;
  } = {},
): Jobs {
  const { streams, sweepOnly, sweepMs, effects, ...runnerOptions } = opts;
  const runner = (pollMs?: number) =>
    createOutboxRunner({
      ...runnerOptions,
      ...(pollMs === undefined ? {} : { pollMs }),
      outbox: ctx.repos.outbox,
      rows: ctx.repos,
      handlers: outboxHandlers(ctx, effects),
    });
  if (sweepOnly) return runner(sweepMs ?? OUTBOX_SWEEP_MS);
  if (streams) {
    const sweep = runner(sweepMs ?? OUTBOX_SWEEP_MS);
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
    return {
      start() {
        poller.start();
        sweep.start();
      },
      async runNow() {
        await poller.pollOnce();
        await sweep.runNow();
      },
      async stop() {
        await Promise.all([poller.stop(), sweep.stop()]);
      },
    };
  }
  return runner();
}
