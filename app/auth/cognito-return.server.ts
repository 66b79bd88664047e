import { createCookie } from '@remix-run/node';

/**
 * Where to land after a Cognito sign-in, kept across the round trip to the hosted page (the
 * library's state cookie holds only state and verifier). Read back through safeRedirectTo,
 * so a tampered value can only send the user to one of our own pages.
 */
function returnCookie(secure: boolean) {
  return createCookie('classcast_return_to', {
    path: '/auth/cognito',
    maxAge: 5 * 60,
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}

export function returnToCookie(redirectTo: string | null, secure: boolean): Promise<string> {
  return returnCookie(secure).serialize(redirectTo ?? '');
}

export async function readReturnTo(request: Request, secure: boolean): Promise<unknown> {
  return returnCookie(secure)
    .parse(request.headers.get('Cookie'))
    .catch(() => null);
}

export function clearReturnTo(secure: boolean): Promise<string> {
  return returnCookie(secure).serialize('', { maxAge: 0 });
}
