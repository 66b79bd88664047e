import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import type { User } from '~/data/repository';
import { formToObject } from '~/utils/validation';

/** Checks the submitted credentials: the accounts service's login, handed in by the route. */
export type VerifyCredentials = (values: Record<string, string>) => Promise<User>;

/**
 * remix-auth 4 only verifies; sessions stay ours (session.server.ts). The route hands in the
 * accounts service's login, so the page and POST /api/auth/login share one rule, one rate
 * limit and one error, and auth/ (identity) never imports a service.
 */
export function authenticateWithForm(request: Request, verify: VerifyCredentials): Promise<User> {
  const authenticator = new Authenticator<User>();
  authenticator.use(new FormStrategy<User>(({ form }) => verify(formToObject(form))), 'form');
  return authenticator.authenticate('form', request);
}
