/** Errors every adapter throws, so services can react without knowing the backend. */

export class DataConflictError extends Error {
  constructor(
    /** What clashed, in domain words: 'email', 'joinCode', ... */
    readonly constraint: string,
  ) {
    super(`Conflict on ${constraint}`);
    this.name = 'DataConflictError';
  }
}

export class DataNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'DataNotFoundError';
  }
}

/** A cursor that was not made by this query (tampered, or from another list). */
export class InvalidCursorError extends Error {
  constructor() {
    super('Invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

/**
 * The data store is refusing work for the moment: DynamoDB throttling that outlasted the SDK's
 * retries. The request that met it changed nothing (a throttled transaction writes no item),
 * so the caller may simply try again shortly.
 */
export class DataStoreBusyError extends Error {
  constructor(
    /** The operation that was refused, e.g. 'TransactWriteItems'. */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`The data store is busy (${operation} throttled)`, options);
    this.name = 'DataStoreBusyError';
  }
}

/**
 * The data store cannot be reached at all: the Postgres server is down or restarting, the
 * pool could not get a connection in time, or the DynamoDB endpoint refuses connections.
 * Nothing is known to have changed; the pool and the SDK reconnect by themselves once it is
 * back, so the caller may try again shortly (503 with Retry-After; docs/decisions/023).
 */
export class DataStoreUnavailableError extends Error {
  constructor(
    /** Why, in a few words (never a connection string). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The data store is unavailable (${reason})`, options);
    this.name = 'DataStoreUnavailableError';
  }
}

/** Node socket errors that mean "nobody answered", whoever the client is. */
export const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** Each error of the `cause` chain (and AggregateError members), outermost first, bounded. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 16) {
    const next = queue.shift();
    if (next === null || next === undefined || chain.includes(next)) continue;
    chain.push(next);
    if (typeof next === 'object') {
      const { cause, errors } = next as { cause?: unknown; errors?: unknown };
      queue.push(cause);
      if (Array.isArray(errors)) queue.push(...errors);
    }
  }
  return chain;
}
