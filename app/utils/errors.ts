/**
 * The one error type of the application. Services throw it; `app/utils/api.server.ts`
 * maps it to the JSON envelope and pages map it to form errors. Nothing else decides
 * HTTP statuses.
 */

export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_JSON'
  | 'INVALID_CURSOR'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TOKEN'
  | 'INVALID_LINK'
  | 'ACCOUNT_DISABLED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'JOIN_CODE_TAKEN'
  | 'INVALID_JOIN_CODE'
  | 'ALREADY_ENROLLED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNSUPPORTED_MEDIA'
  | 'NOT_ACCEPTABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'SIGN_IN_UNAVAILABLE'
  | 'DATA_STORE_BUSY'
  | 'DATA_STORE_UNAVAILABLE'
  | 'LMS_UNAVAILABLE'
  | 'LMS_REJECTED'
  | 'INTERNAL_ERROR';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  INVALID_CURSOR: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_TOKEN: 401,
  /** A mailed link (password reset, email verification) that is expired, used or not ours. */
  INVALID_LINK: 400,
  /** An admin disabled the account: no sign-in, no session. */
  ACCOUNT_DISABLED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  JOIN_CODE_TAKEN: 409,
  INVALID_JOIN_CODE: 404,
  ALREADY_ENROLLED: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNSUPPORTED_MEDIA: 415,
  NOT_ACCEPTABLE: 406,
  STORAGE_UNAVAILABLE: 503,
  SIGN_IN_UNAVAILABLE: 503,
  DATA_STORE_BUSY: 503,
  DATA_STORE_UNAVAILABLE: 503,
  /** An LMS service (roster, grades) did not answer: try again later. */
  LMS_UNAVAILABLE: 503,
  /** An LMS service refused our call: its registration or our key needs a look, not a retry. */
  LMS_REJECTED: 502,
  INTERNAL_ERROR: 500,
};

/** Field name → messages, as rendered next to form fields. */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldErrors; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const unauthenticated = (message = 'Please sign in.') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError('FORBIDDEN', message);
export const notFound = (what = 'That') => new AppError('NOT_FOUND', `${what} was not found.`);
