import type { AppLoadContext } from '@remix-run/node';
import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import type { User } from '~/data/repository';
import { login } from '~/services/accounts.server';
import { formToObject } from '~/utils/validation';

/**
 * remix-auth 4 only verifies; sessions stay ours (session.server.ts). The form strategy
 * delegates to the accounts service, so the page and POST /api/auth/login share one rule,
 * one rate limit and one error.
 */
export function authenticateWithForm(request: Request, context: AppLoadContext): Promise<User> {
  const authenticator = new Authenticator<User>();
  authenticator.use(
    new FormStrategy<User>(({ form }) => login(context.services, formToObject(form), context.clientIp)),
    'form',
  );
  return authenticator.authenticate('form', request);
}
