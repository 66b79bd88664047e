/**
 * What a failed LTI login or launch shows and logs (docs/decisions/024-lti-advantage.md): the
 * protocol's refusals (LtiError), ClassCast's own (LaunchRefusal), and, through the app's one
 * error mapping, anything else (an unreachable database, a bug) — inside the LMS's frame a bare
 * 500 would be a blank box. The routes render the page (app/utils/lti-failure-page.server.tsx).
 */
import type { LtiErrorCode } from '~/auth/lti/errors';
import { LtiError } from '~/auth/lti/errors';
import { toAppError } from '~/utils/api.server';
import { AppError, type ErrorCode } from '~/utils/errors';

/** Why a launch was refused, beyond the protocol's own LtiError codes: each has its own page heading (below). */
export type LaunchRefusalReason =
  | 'NO_CONTEXT'
  | 'UNKNOWN_ROLE'
  | 'COURSE_NOT_OPENED'
  | 'DEEP_LINK_INSTRUCTORS_ONLY'
  | 'DEEP_LINK_UNSUPPORTED'
  | 'FOREIGN_ASSIGNMENT'
  | 'WRONG_TARGET';

/** An AppError (the one error type) that also names which launch page to show. */
export class LaunchRefusal extends AppError {
  constructor(
    readonly reason: LaunchRefusalReason,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** The page a refused launch shows: plain words for people inside their LMS, and the status. */
export interface LaunchFailurePage {
  status: number;
  title: string;
  message: string;
}

/** Headings per protocol failure; the message is the LtiError's own (app/auth/lti/errors.ts). */
const LTI_TITLES: Partial<Record<LtiErrorCode, string>> = {
  STATE_MISMATCH: 'This launch could not be finished',
  NONCE_REPLAYED: 'This launch was already used',
  TOKEN_EXPIRED: 'The launch took too long',
  BAD_LOGIN_REQUEST: 'The LMS sent an incomplete request',
  UNKNOWN_PLATFORM: 'This LMS is not registered',
  UNKNOWN_DEPLOYMENT: 'This LMS deployment is not registered',
  JWKS_UNAVAILABLE: 'Your LMS cannot be reached',
  PLATFORM_UNAVAILABLE: 'Your LMS cannot be reached',
};

const REFUSAL_TITLES: Record<LaunchRefusalReason, string> = {
  NO_CONTEXT: 'Open ClassCast from a course',
  UNKNOWN_ROLE: 'Your role is not one ClassCast knows',
  COURSE_NOT_OPENED: 'ClassCast is not open in this course yet',
  DEEP_LINK_INSTRUCTORS_ONLY: 'Only instructors can add assignments',
  DEEP_LINK_UNSUPPORTED: 'ClassCast cannot add this kind of content',
  FOREIGN_ASSIGNMENT: 'This link belongs to another course',
  WRONG_TARGET: 'This link does not lead to ClassCast',
};

/**
 * What a refused login or launch shows and logs, or null when the error is not a refusal (a bug,
 * or an outage of our own): launchFailurePage covers those too.
 */
export function launchFailure(error: unknown): (LaunchFailurePage & { reason: string; detail: string }) | null {
  if (error instanceof LtiError) {
    return {
      reason: error.code,
      detail: error.detail ?? error.message,
      // A sealed key no secret opens is our operator's problem, shown as ours (500) but never a bare one.
      status: error.status,
      title: LTI_TITLES[error.code] ?? 'The launch could not be verified',
      message: error.message,
    };
  }
  if (error instanceof LaunchRefusal) {
    return {
      reason: error.reason,
      detail: error.message,
      status: error.status,
      title: REFUSAL_TITLES[error.reason],
      message: error.message,
    };
  }
  if (error instanceof AppError && error.code === 'EMAIL_TAKEN') {
    return {
      reason: error.code,
      detail: error.message,
      status: error.status,
      title: 'Your account could not be set up',
      message: error.message,
    };
  }
  return null;
}

/** Every failed login or launch as its page: a refusal's own, or the app's status and words for the rest. */
export function launchFailurePage(error: unknown): LaunchFailurePage & { reason: string; detail: string } {
  const refusal = launchFailure(error);
  if (refusal) return refusal;
  const appError = toAppError(error);
  return {
    reason: appError.code,
    detail: appError.message,
    status: appError.status,
    title: appError.status >= 500 ? 'ClassCast could not finish opening' : 'The launch could not be completed',
    message: appError.message,
  };
}
