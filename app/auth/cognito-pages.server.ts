import { config } from '~/config.server';
import type { CognitoFailure } from './cognito.server';

/** What the callback may put in `/login?signInError=`: codes only, worded here. */
const MESSAGES: Record<CognitoFailure | 'email-taken' | 'no-email', string> = {
  cancelled: 'Sign-in with your school account was cancelled.',
  expired: 'That sign-in took too long or was started in another browser. Please try again.',
  state: 'That sign-in link was not one we started. Please try again.',
  unavailable: 'The school sign-in service cannot be reached right now. Try again shortly, or log in with a password.',
  refused: 'Your school account could not be signed in. Please try again.',
  'email-taken':
    'An account with this email already exists. Log in with its password, or ask an administrator to link it to your school account.',
  'no-email': 'Your school account has no email address, which ClassCast needs.',
};

export type SignInErrorCode = keyof typeof MESSAGES;

/** For the login and signup pages: whether to offer Cognito, and the sign-in error to show. */
export function schoolSignIn(request: Request): { label: string | null; error: string | null } {
  const code = new URL(request.url).searchParams.get('signInError');
  return {
    label: config().cognito?.label ?? null,
    error: code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code as SignInErrorCode] : null,
  };
}
