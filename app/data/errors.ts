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
