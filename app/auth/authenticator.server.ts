import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import type { User } from '~/data/repository';

/**
 * remix-auth 4 only verifies; sessions stay ours (session.server.ts). The caller hands in
 * the accounts service's login, so the page and POST /api/auth/login share one rule, one
 * rate limit and one error, while identity code never imports a service.
 */
export function authenticateWithForm(request: Request, verify: (form: FormData) => Promise<User>): Promise<User> {
  const authenticator = new Authenticator<User>();
  authenticator.use(new FormStrategy<User>(({ form }) => verify(form)), 'form');
  return authenticator.authenticate('form', request);
}
