import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import type { User } from '~/data/repository';
import { formToObject } from '~/utils/validation';

/**
 * remix-auth 4 only verifies; sessions stay ours (session.server.ts). The caller hands in
 * the check (the accounts service's login), so identity code imports no service and the
 * page and POST /api/auth/login share one rule, one rate limit and one error.
 */
export function authenticateWithForm(
  request: Request,
  verify: (values: Record<string, string>) => Promise<User>,
): Promise<User> {
  const authenticator = new Authenticator<User>();
  authenticator.use(new FormStrategy<User>(({ form }) => verify(formToObject(form))), 'form');
  return authenticator.authenticate('form', request);
}
