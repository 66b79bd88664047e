/**
 * Multiplexes many client connections onto PGlite's ONE Postgres session, safely.
 *
 * pglite-socket 0.2.17 accepts up to `maxConnections` sockets (default 1) and feeds their
 * protocol messages, one message at a time, through a shared queue. Its queue keeps a client's
 * explicit transaction (BEGIN..COMMIT) exclusive, but not an extended-protocol cycle
 * (Parse/Bind/Describe/Execute ... Sync): PGlite reports "not in a transaction" between Parse
 * and Sync, so when a client's cycle arrives in two TCP chunks another client's cycle can run
 * in between and replace the unnamed statement/portal (reproduced: `portal "" does not exist`).
 * node-postgres, and so Prisma's adapter-pg, use exactly those unnamed statements.
 *
 * This queue (same interface as pglite-socket's internal one, handed to its
 * PGLiteSocketHandler) gives a client the session from its first message until PGlite answers
 * ReadyForQuery with status Idle: a whole cycle, or a whole transaction block, runs without
 * interleaving. Other clients' messages wait in arrival order.
 *
 * It also holds back a client's answers until that client asks for them: the handler feeds
 * one protocol message at a time, and PGlite answers each (ParseComplete, BindComplete, ...)
 * separately, which made five socket writes — and five reads on the other side — per
 * statement. The protocol lets a server buffer its output until Sync, Flush or a simple Query
 * (what a client waits on), so the answers to Parse/Bind/Describe/Execute/Close are kept and
 * sent with the next answer in ONE write.
 */
import type { PGlite } from '@electric-sql/pglite';

interface Job {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4
const ROLLBACK = new Uint8Array([0x51, 0, 0, 0, 13, ...new TextEncoder().encode('ROLLBACK'), 0]); // 'Q' ROLLBACK
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
/** Parse, Bind, Describe, Execute, Close: messages a client never waits on before Sync or Flush. */
const PIPELINED = new Set([0x50, 0x42, 0x44, 0x45, 0x43]);

/** Frames the backend byte stream to find the last message and, for ReadyForQuery, its status. */
class ResponseTracker {
  private header: number[] = [];
  private remaining = 0;
  private type = 0;
  lastType = 0;
  lastStatus = 0;

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        if (this.type === READY_FOR_QUERY) this.lastStatus = chunk[i + take - 1];
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.lastType = this.type;
        continue;
      }
      this.header.push(chunk[i++]);
      if (this.header.length === 5) {
        const [type, a, b, c, d] = this.header;
        this.type = type;
        this.remaining = ((a << 24) | (b << 16) | (c << 8) | d) - 4;
        this.header = [];
        if (this.remaining <= 0) {
          this.remaining = 0;
          this.lastType = type;
        }
      }
    }
  }

  get idle(): boolean {
    return this.lastType === READY_FOR_QUERY && this.lastStatus === IDLE;
  }
}

export class SessionQueue {
  private queue: Job[] = [];
  /** The handler whose cycle or transaction is open on the session, if any. */
  private owner: number | null = null;
  /** The handler whose message PGlite is executing right now. */
  private inFlight: number | null = null;
  /** Handlers that disconnected; whatever they leave open on the session gets reset. */
  private gone = new Set<number>();
  private running: Promise<void> | null = null;
  private closed = false;
  /** Answers held back per handler until it sends something it waits on (see above). */
  private heldOutput = new Map<number, Uint8Array[]>();

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.closed) return Promise.reject(new Error('Embedded Postgres is stopping'));
    // Terminate: the socket closes next and detach() resets the session if needed.
    if (message[0] === TERMINATE && message.length === 5) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      this.pump();
    });
  }

  private next(): Job | undefined {
    const index = this.owner === null ? 0 : this.queue.findIndex((j) => j.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private runnable(): boolean {
    if (this.closed) return false;
    return this.owner === null ? this.queue.length > 0 : this.queue.some((j) => j.handlerId === this.owner);
  }

  private pump(): void {
    if (this.running || !this.runnable()) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      this.pump(); // a message may have arrived while drain() was finishing
    });
  }

  private async drain(): Promise<void> {
    for (let job = this.next(); job && !this.closed; job = this.next()) {
      const tracker = new ResponseTracker();
      const held = this.heldOutput.get(job.handlerId) ?? [];
      let bytes = 0;
      this.inFlight = job.handlerId;
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(job.message, {
            onRawData: (data) => {
              bytes += data.length;
              tracker.feed(data);
              // PGlite may reuse its buffer for the next answer: keep a copy.
              held.push(data.slice());
            },
          }),
        );
        this.owner = tracker.idle ? null : job.handlerId;
        if (PIPELINED.has(job.message[0])) this.heldOutput.set(job.handlerId, held);
        else this.flush(job, held);
        job.resolve(bytes);
      } catch (error) {
        this.owner = job.handlerId;
        this.flush(job, held);
        job.reject(error as Error);
        await this.reset(job.handlerId);
      } finally {
        this.inFlight = null;
      }
      if (this.gone.delete(job.handlerId)) await this.reset(job.handlerId);
    }
  }

  private flush(job: Job, held: Uint8Array[]): void {
    this.heldOutput.delete(job.handlerId);
    if (held.length === 0) return;
    job.onData(held.length === 1 ? held[0] : Buffer.concat(held));
  }

  /** Ends whatever the handler left open on the session (a cycle, a transaction). */
  private async reset(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    this.owner = null;
    if (this.closed) return;
    try {
      // Protocol messages only: db.exec() takes the lock runExclusive already holds.
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRaw(SYNC);
        if (this.db.isInTransaction()) await this.db.execProtocolRaw(ROLLBACK);
      });
    } catch {
      // The session is as clean as PGlite can make it; the next client's cycle proceeds.
    }
  }

  // --- called by PGLiteSocketHandler.detach() when a client goes away ---

  clearQueueForHandler(handlerId: number): void {
    this.gone.add(handlerId);
    this.heldOutput.delete(handlerId);
    this.queue = this.queue.filter((job) => {
      if (job.handlerId !== handlerId) return true;
      job.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.inFlight === handlerId) return; // pump() resets once that message is done
    this.gone.delete(handlerId);
    await this.reset(handlerId);
    this.pump();
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** Rejects waiting messages, lets the running one finish, then leaves the database alone. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue) job.reject(new Error('Embedded Postgres stopped'));
    this.queue = [];
    await this.running;
  }
}
