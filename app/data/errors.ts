/** Errors every adapter throws, so services can react without knowing the backend. */

import { brandedInstanceCheck } from '~/utils/branded';

const conflict = brandedInstanceCheck('DataConflictError');
export class DataConflictError extends Error {
  readonly [conflict.key] = true;
  static [Symbol.hasInstance] = conflict.hasInstance;
  constructor(
    /** What clashed, in domain words: 'email', 'joinCode', ... */
    readonly constraint: string,
  ) {
    super(`Conflict on ${constraint}`);
    this.name = 'DataConflictError';
  }
}

const notFound = brandedInstanceCheck('DataNotFoundError');
export class DataNotFoundError extends Error {
  readonly [notFound.key] = true;
  static [Symbol.hasInstance] = notFound.hasInstance;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'DataNotFoundError';
  }
}

const invalidCursor = brandedInstanceCheck('InvalidCursorError');
/** A cursor that was not made by this query (tampered, or from another list). */
export class InvalidCursorError extends Error {
  readonly [invalidCursor.key] = true;
  static [Symbol.hasInstance] = invalidCursor.hasInstance;
  constructor() {
    super('Invalid cursor');
    this.name = 'InvalidCursorError';
  }
}
