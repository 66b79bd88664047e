/**
 * The one error type of the LTI protocol modules (docs/decisions/024-lti-advantage.md).
 * `app/auth/lti/*` stays free of services and repositories, so it cannot throw AppError's
 * codes; the launch and grade services map an LtiError to the page or JSON envelope, using
 * `status` and the plain-language `message`. `detail` is for the log only (it may quote what
 * the platform sent back) and never reaches the person in front of the screen.
 */

export type LtiErrorCode =
  | 'BAD_SIGNATURE'
  | 'MALFORMED_TOKEN'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'TOKEN_EXPIRED'
  | 'NONCE_REPLAYED'
  | 'UNKNOWN_DEPLOYMENT'
  | 'MISSING_CLAIM'
  | 'WRONG_MESSAGE_TYPE'
  | 'WRONG_VERSION'
  | 'STATE_MISMATCH'
  | 'UNKNOWN_PLATFORM'
  | 'JWKS_UNAVAILABLE'
  | 'BAD_LOGIN_REQUEST'
  | 'PLATFORM_REJECTED'
  | 'PLATFORM_UNAVAILABLE'
  | 'SEALED_KEY_UNREADABLE';

const STATUS: Record<LtiErrorCode, number> = {
  BAD_SIGNATURE: 401,
  MALFORMED_TOKEN: 400,
  WRONG_ISSUER: 401,
  WRONG_AUDIENCE: 401,
  TOKEN_EXPIRED: 401,
  NONCE_REPLAYED: 401,
  UNKNOWN_DEPLOYMENT: 403,
  MISSING_CLAIM: 400,
  WRONG_MESSAGE_TYPE: 400,
  WRONG_VERSION: 400,
  STATE_MISMATCH: 400,
  UNKNOWN_PLATFORM: 400,
  JWKS_UNAVAILABLE: 503,
  BAD_LOGIN_REQUEST: 400,
  // The LMS refused what we sent: our request was wrong or our registration is, not the browser's.
  PLATFORM_REJECTED: 502,
  PLATFORM_UNAVAILABLE: 503,
  // A sealed tool key no configured secret opens: an operator's mistake (LTI_KEY_SECRET changed).
  SEALED_KEY_UNREADABLE: 500,
};

const MESSAGE: Record<LtiErrorCode, string> = {
  BAD_SIGNATURE: 'The launch from your LMS could not be verified (its signature does not match the LMS keys).',
  MALFORMED_TOKEN: 'The launch from your LMS was not a readable LTI message.',
  WRONG_ISSUER: 'The launch came from an LMS other than the one it claims to be.',
  WRONG_AUDIENCE: 'The launch was meant for another tool, not ClassCast.',
  TOKEN_EXPIRED: 'The launch from your LMS has expired. Go back to your course and open the link again.',
  NONCE_REPLAYED: 'This launch was already used. Go back to your course and open the link again.',
  UNKNOWN_DEPLOYMENT: 'This LMS deployment of ClassCast is not registered. Ask your LMS administrator to add it.',
  MISSING_CLAIM: 'The launch from your LMS is missing information ClassCast needs.',
  WRONG_MESSAGE_TYPE: 'Your LMS sent a kind of LTI message ClassCast does not handle.',
  WRONG_VERSION: 'Your LMS sent an LTI version ClassCast does not support (LTI 1.3 is required).',
  STATE_MISMATCH:
    'The sign-in from your LMS did not match the one started in this browser. Open the link again from your course. ' +
    "If it happens again, your browser is keeping ClassCast's cookie out of the LMS page (Safari does): " +
    'open the activity in a new window from your LMS.',
  UNKNOWN_PLATFORM: 'This LMS is not registered with ClassCast. Ask your LMS administrator to add it.',
  JWKS_UNAVAILABLE: 'Your LMS cannot be reached to check the launch right now. Try again in a few minutes.',
  BAD_LOGIN_REQUEST: 'The LMS started the sign-in without the details ClassCast needs.',
  PLATFORM_REJECTED: 'Your LMS refused the request from ClassCast.',
  PLATFORM_UNAVAILABLE: 'Your LMS cannot be reached right now. ClassCast will try again.',
  SEALED_KEY_UNREADABLE: 'The ClassCast LTI signing key cannot be read with the configured secret.',
};

export class LtiError extends Error {
  readonly status: number;
  constructor(
    readonly code: LtiErrorCode,
    /** For the log: which claim, what the platform answered, the underlying error. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(MESSAGE[code], options);
    this.name = 'LtiError';
    this.status = STATUS[code];
  }
}

export function isLtiError(error: unknown): error is LtiError {
  return error instanceof LtiError;
}
