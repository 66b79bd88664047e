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
