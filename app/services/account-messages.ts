/** What the account pages say, shared by the services and the pages (which render in the browser too). */

/** Said for every reset request, whether or not the address has an account. */
export const RESET_REQUESTED =
  'If an account exists for that address, we have sent it a link to choose a new password. The link works for 30 minutes.';

export const RESET_LINK_INVALID = 'This password reset link has expired or was already used. Request a new one below.';

export const VERIFY_LINK_INVALID =
  'This confirmation link has expired or was already used. Sign in and send yourself a new one.';
