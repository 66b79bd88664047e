/**
 * The local stand-in for Lambda's DynamoDB Streams event source mapping: reads each streamed
 * table's shards (parents before children) and hands the records, in order, to that table's
 * handler (docs/decisions/020-stream-jobs.md). As on Lambda with ReportBatchItemFailures, a
 * shard's position moves only past records that succeeded; the first failed one and every
 * record after it come again after a backoff, so handlers must be idempotent (they are).
 *
 * Start and restart: a shard resumes after its checkpointed sequence number; a shard never
 * seen starts at TRIM_HORIZON, so records written while no poller ran (a restart, a crash)
 * are delivered, not skipped as LATEST would. Expired iterators are re-taken from the
 * checkpoint; trimmed data (older than the stream keeps) restarts at the horizon.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { logError } from '~/utils/log.server';
import type { StreamHandler } from './outbox-runner.server';
import type { CheckpointStore } from './stream-checkpoints.server';

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
}

export type ShardStart =
  { type: 'TRIM_HORIZON' } | { type: 'LATEST' } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export type ShardRead =
  | {
      status: 'ok';
      records: DynamoDBRecord[];
      /** null: the shard is closed and read to its end. */ next: string | null;
    }
  | { status: 'expired' }
  | { status: 'trimmed' };

/** DynamoDB Streams as the poller needs it (app/data/dynamo/stream-reader.ts over the SDK). */
export interface StreamReader {
  /** The table's current stream, or null when the table has none. */
  streamArn(tableName: string): Promise<string | null>;
  shards(streamArn: string): Promise<StreamShard[]>;
  iterator(streamArn: string, shardId: string, start: ShardStart): Promise<string>;
  read(iterator: string, limit: number): Promise<ShardRead>;
}

export interface StreamSubscription {
  tableName: string;
  handler: StreamHandler;
}

export interface StreamPollerOptions {
  reader: StreamReader;
  checkpoints: CheckpointStore;
  subscriptions: StreamSubscription[];
  /** Wait between polls that found nothing, ms. */
  pollMs?: number;
  /** Records per GetRecords (and per handler call), 1..1000. */
  batchSize?: number;
  /** Back-off after a failed batch or a failed call: base doubling up to max, ms. */
  retry?: { baseMs: number; maxMs: number };
}

export interface StreamPoller {
  start(): void;
  /** One bounded pass over every shard (tests drive the poller with it). */
  pollOnce(): Promise<void>;
  /** No new passes; waits for the running one. */
  stop(): Promise<void>;
}

export const STREAM_POLLER_DEFAULTS = { pollMs: 500, batchSize: 100, retry: { baseMs: 1_000, maxMs: 60_000 } };

/** A pass reads at most this many batches per shard, so one busy shard cannot starve the rest. */
const MAX_BATCHES_PER_SHARD = 10;
/** Shard lists are re-read this often (new child shards after a split), and when one closes. */
const SHARD_REFRESH_PASSES = 30;

interface ShardState {
  shardId: string;
  parentShardId?: string;
  iterator: string | null;
  /** The last sequence number handled (checkpointed). */
  after: string | null;
  finished: boolean;
  failures: number;
  retryAt: number;
}

interface StreamState {
  streamArn: string;
  shards: Map<string, ShardState>;
  refreshIn: number;
}

export function createStreamPoller(opts: StreamPollerOptions): StreamPoller {
  const pollMs = opts.pollMs ?? STREAM_POLLER_DEFAULTS.pollMs;
  const batchSize = opts.batchSize ?? STREAM_POLLER_DEFAULTS.batchSize;
  const retry = opts.retry ?? STREAM_POLLER_DEFAULTS.retry;
  const { reader, checkpoints } = opts;
  const streams = new Map<string, StreamState>();
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let callFailures = 0;

  const backoff = (failures: number) => Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(failures - 1, 20));

  async function streamOf(sub: StreamSubscription): Promise<StreamState | null> {
    let state = streams.get(sub.tableName);
    if (!state) {
      const streamArn = await reader.streamArn(sub.tableName);
      if (!streamArn) return null;
      state = { streamArn, shards: new Map(), refreshIn: 0 };
      streams.set(sub.tableName, state);
    }
    if (state.refreshIn <= 0) {
      await refreshShards(state);
      state.refreshIn = SHARD_REFRESH_PASSES;
    }
    state.refreshIn -= 1;
    return state;
  }

  async function refreshShards(state: StreamState) {
    for (const shard of await reader.shards(state.streamArn)) {
      if (state.shards.has(shard.shardId)) continue;
      const saved = await checkpoints.load(state.streamArn, shard.shardId);
      state.shards.set(shard.shardId, {
        ...shard,
        iterator: null,
        after: saved?.after ?? null,
        finished: saved?.finished ?? false,
        failures: 0,
        retryAt: 0,
      });
    }
  }

  /** A child shard waits until its parent is read to the end (or gone from the stream). */
  function ready(state: StreamState, shard: ShardState) {
    if (shard.finished || shard.retryAt > Date.now()) return false;
    const parent = shard.parentShardId ? state.shards.get(shard.parentShardId) : undefined;
    return !parent || parent.finished;
  }

  /** After the checkpoint; a shard never handled (or whose data was trimmed) from its horizon. */
  async function takeIterator(state: StreamState, shard: ShardState, fromHorizon = false) {
    const start: ShardStart =
      shard.after && !fromHorizon
        ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: shard.after }
        : { type: 'TRIM_HORIZON' };
    shard.iterator = await reader.iterator(state.streamArn, shard.shardId, start);
  }

  async function checkpoint(state: StreamState, shard: ShardState) {
    await checkpoints.save(state.streamArn, shard.shardId, { after: shard.after, finished: shard.finished });
  }

  /** Hands `records` to the handler; returns how many from the front succeeded. */
  async function handle(handler: StreamHandler, records: DynamoDBRecord[]): Promise<number> {
    let failed: Set<string>;
    try {
      const response = await handler({ Records: records });
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch (error) {
      logError('stream poller: handler threw', error);
      return 0;
    }
    if (failed.size === 0) return records.length;
    if (failed.has('')) return 0;
    const first = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
    return first < 0 ? records.length : first;
  }

  /** Reads one shard up to MAX_BATCHES_PER_SHARD batches; true when it found records. */
  async function pollShard(sub: StreamSubscription, state: StreamState, shard: ShardState): Promise<boolean> {
    let found = false;
    for (let batch = 0; batch < MAX_BATCHES_PER_SHARD && !stopped; batch += 1) {
      if (!shard.iterator) await takeIterator(state, shard);
      const read = await reader.read(shard.iterator!, batchSize);
      if (read.status === 'expired') {
        shard.iterator = null;
        continue;
      }
      if (read.status === 'trimmed') {
        logError('stream poller: records expired before they were read', {
          table: sub.tableName,
          shard: shard.shardId,
        });
        await takeIterator(state, shard, true);
        continue;
      }
      if (read.records.length > 0) {
        found = true;
        const records = read.records.map((r) => ({ ...r, eventSourceARN: r.eventSourceARN ?? state.streamArn }));
        const done = await handle(sub.handler, records);
        if (done > 0) shard.after = records[done - 1]!.dynamodb!.SequenceNumber!;
        if (done < records.length) {
          // From the failed record again (Lambda's ReportBatchItemFailures), after a back-off.
          shard.failures += 1;
          shard.retryAt = Date.now() + backoff(shard.failures);
          shard.iterator = null;
          if (done > 0) await checkpoint(state, shard);
          return found;
        }
        shard.failures = 0;
      }
      shard.iterator = read.next;
      if (read.next === null) {
        shard.finished = true;
        // Its children (a split) show up in the next shard list.
        state.refreshIn = 0;
      }
      if (read.records.length > 0 || shard.finished) await checkpoint(state, shard);
      if (shard.finished || read.records.length < batchSize) return found;
    }
    return found;
  }

  async function pass(): Promise<boolean> {
    let found = false;
    for (const sub of opts.subscriptions) {
      if (stopped) break;
      const state = await streamOf(sub);
      if (!state) continue;
      for (const shard of state.shards.values()) {
        if (stopped) break;
        if (ready(state, shard)) found = (await pollShard(sub, state, shard)) || found;
      }
    }
    return found;
  }

  function pollOnce(): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        await pass();
        callFailures = 0;
      } catch (error) {
        callFailures += 1;
        logError('stream poller: a Streams call failed', error);
        // Re-read everything next time: a stream may have been replaced (disabled, re-enabled).
        streams.clear();
      }
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      void pollOnce().then(() => schedule(callFailures > 0 ? backoff(callFailures) : pollMs));
    }, delay);
    timer.unref?.();
  }

  return {
    start() {
      if (stopped || timer) return;
      schedule(0);
    },
    pollOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
