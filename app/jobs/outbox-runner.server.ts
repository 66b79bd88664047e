/**
 * The in-process stand-in for DynamoDB Streams + Lambda: claims due outbox entries, turns each
 * into the stream record of its table and hands them, in batches, to that table's handler.
 * Successes complete; failures are retried later with exponential backoff plus jitter. It runs
 * right after this process commits (outbox.onWrite) and also on a timer, so entries left by a
 * crash, or written by another process, are done too. Leases keep two runners (two processes
 * on one database) off the same entry. See docs/decisions/015-jobs-as-stream-handlers.md.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { OutboxEntry, OutboxRepository, Repositories } from '~/data/repository';
import { crashPoint } from '~/utils/crash-points.server';
import { logError } from '~/utils/log.server';
import { outboxRecord } from './outbox-records';
import type { StreamTopic } from './stream-tables';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * The handler of each outbox topic. `mail` may be absent (a process that cannot send mail):
 * its entries then fail and are retried with backoff — kept, never dropped — until a process
 * with the handler takes them.
 */
export type OutboxHandlers = Record<Exclude<StreamTopic, 'mail'>, StreamHandler> &
  Partial<Record<'mail', StreamHandler>>;

/** The topic's handler, or a stand-in that fails the whole batch (so it is retried). */
export function outboxHandlerFor(handlers: OutboxHandlers, topic: StreamTopic): StreamHandler {
  const handler = handlers[topic];
  if (handler) return handler;
  return async () => {
    throw new Error(`no ${topic} handler in this process`);
  };
}

export interface OutboxRunnerOptions {
  outbox: OutboxRepository;
  rows: Pick<Repositories, 'notifications' | 'messages' | 'submissions'>;
  handlers: OutboxHandlers;
  /** Entries claimed (and records per handler call) at a time; 1..100. */
  batchSize?: number;
  /** How long a claim keeps other runners off an entry; longer than one batch ever takes. */
  leaseMs?: number;
  /** The safety-net poll; 0 turns it off (tests drive the runner themselves). */
  pollMs?: number;
  retry?: { baseMs: number; maxMs: number };
  /** 0 ≤ x < 1; injectable so tests can pin the jitter. */
  random?: () => number;
}

export interface OutboxRunner {
  /** Listens for commits and starts the poll. */
  start(): void;
  /** Runs until nothing is due (a call during a run waits for one more pass). */
  runNow(): Promise<void>;
  /** No new passes; waits for the running one. */
  stop(): Promise<void>;
}

export const OUTBOX_DEFAULTS = {
  batchSize: 25,
  leaseMs: 30_000,
  pollMs: 2_000,
  retry: { baseMs: 1_000, maxMs: 5 * 60_000 },
};

/** A pass ends after this many batches, so one busy pass cannot hold the runner forever. */
const MAX_BATCHES_PER_PASS = 40;

/** Exponential in the attempts so far, capped; "equal jitter" spreads retries of one burst. */
export function retryDelayMs(attempts: number, retry: { baseMs: number; maxMs: number }, random: () => number) {
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function createOutboxRunner(opts: OutboxRunnerOptions): OutboxRunner {
  const batchSize = opts.batchSize ?? OUTBOX_DEFAULTS.batchSize;
  const leaseMs = opts.leaseMs ?? OUTBOX_DEFAULTS.leaseMs;
  const pollMs = opts.pollMs ?? OUTBOX_DEFAULTS.pollMs;
  const retry = opts.retry ?? OUTBOX_DEFAULTS.retry;
  const random = opts.random ?? Math.random;
  const { outbox } = opts;

  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: (() => void) | null = null;

  const settle = async (what: string, work: () => Promise<void>) => {
    // A failed complete/fail is not lost: the lease runs out and the entry is claimed again.
    await work().catch((error: unknown) => logError(`outbox: ${what} failed`, error));
  };

  const failEntry = (entry: OutboxEntry, reason: string) =>
    settle('fail', () => outbox.fail(entry.id, reason.slice(0, 1000), retryDelayMs(entry.attempts, retry, random)));

  async function deliver(topic: StreamTopic, batch: Array<{ entry: OutboxEntry; record: DynamoDBRecord }>) {
    let failed: Set<string>;
    let reason = `the ${topic} handler reported the record as failed`;
    try {
      const response = await outboxHandlerFor(opts.handlers, topic)({ Records: batch.map((b) => b.record) });
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      // An unnamed failure means the whole batch, as Lambda reads it.
      if (failed.has('')) failed = new Set(batch.map((b) => b.entry.id));
      crashPoint('outbox:delivered');
    } catch (error) {
      reason = `the ${topic} handler threw: ${(error as Error).message}`;
      failed = new Set(batch.map((b) => b.entry.id));
    }
    for (const { entry } of batch) {
      if (failed.has(entry.id)) await failEntry(entry, reason);
      else await settle('complete', () => outbox.complete(entry.id));
    }
  }

  async function processBatch(entries: OutboxEntry[]) {
    const byTopic = new Map<StreamTopic, Array<{ entry: OutboxEntry; record: DynamoDBRecord }>>();
    for (const entry of entries) {
      let record: DynamoDBRecord | null;
      try {
        record = await outboxRecord(opts.rows, entry);
      } catch (error) {
        await failEntry(entry, `reading its row failed: ${(error as Error).message}`);
        continue;
      }
      if (!record) {
        await settle('complete', () => outbox.complete(entry.id));
        continue;
      }
      const group = byTopic.get(entry.event.topic) ?? [];
      group.push({ entry, record });
      byTopic.set(entry.event.topic, group);
    }
    for (const [topic, batch] of byTopic) await deliver(topic, batch);
  }

  async function pass() {
    for (let batches = 0; batches < MAX_BATCHES_PER_PASS && !stopped; batches += 1) {
      let entries: OutboxEntry[];
      try {
        entries = await outbox.claimDue(batchSize, leaseMs);
      } catch (error) {
        logError('outbox: claim failed', error);
        return;
      }
      if (entries.length > 0) await processBatch(entries);
      if (entries.length < batchSize) return;
    }
  }

  /** Single flight: a kick during a run asks that run for one more pass. */
  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    start() {
      if (stopped || unsubscribe) return;
      unsubscribe = outbox.onWrite(() => void kick());
      if (pollMs > 0) {
        timer = setInterval(() => void kick(), pollMs);
        timer.unref?.();
      }
      void kick();
    },
    runNow: kick,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      unsubscribe?.();
      timer = null;
      unsubscribe = null;
      await running;
    },
  };
}
