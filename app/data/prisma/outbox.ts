/**
 * The outbox on Postgres. Entries are written by the notification and message statements
 * themselves (notification-sql.ts, messages.ts), in their transaction, or on their own by
 * `enqueue` (mail); this module claims, completes and retries them.
 *
 * A claim is ONE statement (pick due rows FOR UPDATE SKIP LOCKED, push their available_at to
 * the lease end): concurrent claimers in other processes skip each other's rows, and no
 * interactive transaction holds the embedded server's single connection across round trips.
 */
import {
  clampLimit,
  systemClock,
  type Clock,
  type OutboxEntry,
  type OutboxEvent,
  type OutboxRepository,
} from '../repository';
import type { PrismaClient } from './client';
import { newId } from '../ids';

/**
 * Who to tell after a commit that added outbox entries. Every writer of notifications or
 * messages calls `written()` once its statement or transaction has committed.
 */
export interface OutboxSignal {
  listen(listener: () => void): () => void;
  written(): void;
}

export function outboxSignal(): OutboxSignal {
  const listeners = new Set<() => void>();
  return {
    listen(listener) {
      // A wrapper per subscription, so subscribing one function twice needs two unsubscribes.
      const entry = () => listener();
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    written() {
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch {
          // A listener only kicks a runner that also polls: its failure must not fail a write
          // that has already committed.
        }
      }
    },
  };
}

interface ClaimedRow {
  id: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
  lastError: string | null;
}

/** The payload is the event as the write statement built it (jsonb_build_object). */
function toOutboxEntry(row: ClaimedRow): OutboxEntry {
  const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
  return {
    id: row.id,
    event: payload as OutboxEvent,
    attempts: Number(row.attempts),
    createdAt: row.createdAt.toISOString(),
    lastError: row.lastError,
  };
}

const later = (from: Date, ms: number) => new Date(from.getTime() + Math.max(0, ms)).toISOString();

export function prismaOutbox(prisma: PrismaClient, signal: OutboxSignal, clock: Clock = systemClock): OutboxRepository {
  return {
    async claimDue(limit, leaseMs) {
      const now = clock();
      const rows = await prisma.$queryRaw<ClaimedRow[]>`
        WITH due AS (
          SELECT id, available_at FROM outbox
          WHERE done_at IS NULL AND available_at <= ${now.toISOString()}::timestamptz
          ORDER BY available_at, id
          LIMIT ${clampLimit(limit)}::int
          FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE outbox SET available_at = ${later(now, leaseMs)}::timestamptz
          FROM due WHERE outbox.id = due.id
          RETURNING outbox.id, outbox.payload, outbox.attempts, outbox.created_at AS "createdAt",
            outbox.last_error AS "lastError", due.available_at AS "dueAt"
        )
        SELECT id, payload, attempts, "createdAt", "lastError" FROM claimed ORDER BY "dueAt", id`;
      return rows.map(toOutboxEntry);
    },

    async claim(id, leaseMs) {
      const now = clock();
      const rows = await prisma.$queryRaw<ClaimedRow[]>`
        UPDATE outbox SET available_at = ${later(now, leaseMs)}::timestamptz
        WHERE id = ${id} AND done_at IS NULL AND available_at <= ${now.toISOString()}::timestamptz
        RETURNING id, payload, attempts, created_at AS "createdAt", last_error AS "lastError"`;
      if (rows[0]) return { status: 'claimed', entry: toOutboxEntry(rows[0]) };
      const pending = await prisma.outboxEntry.count({ where: { id, doneAt: null } });
      return pending > 0 ? { status: 'leased' } : { status: 'done' };
    },

    async enqueue(event, opts = {}) {
      const now = clock();
      const availableAt = opts.availableAt ? new Date(opts.availableAt) : now;
      const dedupeKey = opts.dedupeKey ?? null;
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to commit, then
      // inserts nothing: exactly one caller creates, the others read the winner's entry.
      const inserted = await prisma.$queryRaw<ClaimedRow[]>`
        INSERT INTO outbox (id, topic, payload, created_at, available_at, dedupe_key)
        VALUES (${newId()}, ${event.topic}, ${JSON.stringify(event)}::jsonb, ${now.toISOString()}::timestamptz,
          ${availableAt.toISOString()}::timestamptz, ${dedupeKey})
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id, payload, attempts, created_at AS "createdAt", last_error AS "lastError"`;
      if (inserted[0]) {
        signal.written();
        return { entry: toOutboxEntry(inserted[0]), created: true };
      }
      const [existing] = await prisma.$queryRaw<ClaimedRow[]>`
        SELECT id, payload, attempts, created_at AS "createdAt", last_error AS "lastError"
        FROM outbox WHERE dedupe_key = ${dedupeKey}`;
      if (!existing) throw new Error(`Outbox entry for ${dedupeKey} vanished during enqueue`);
      return { entry: toOutboxEntry(existing), created: false };
    },

    /**
     * Done entries are deleted (nothing reads them again, and the table stays small), except
     * those with a dedupe key: they stay, marked done, so the key keeps refusing a second entry.
     */
    async complete(id) {
      await prisma.$executeRaw`
        WITH kept AS (
          UPDATE outbox SET done_at = ${clock().toISOString()}::timestamptz
          WHERE id = ${id} AND dedupe_key IS NOT NULL AND done_at IS NULL
        )
        DELETE FROM outbox WHERE id = ${id} AND dedupe_key IS NULL`;
    },

    async fail(id, error, retryInMs) {
      await prisma.outboxEntry.updateMany({
        where: { id, doneAt: null },
        data: { attempts: { increment: 1 }, lastError: error, availableAt: new Date(later(clock(), retryInMs)) },
      });
    },

    countPending: (topic) => prisma.outboxEntry.count({ where: { doneAt: null, ...(topic && { topic }) } }),

    async oldestPendingAt() {
      const { _min } = await prisma.outboxEntry.aggregate({ where: { doneAt: null }, _min: { createdAt: true } });
      return _min.createdAt?.toISOString() ?? null;
    },

    onWrite: (listener) => signal.listen(listener),
  };
}
