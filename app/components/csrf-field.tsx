import { useRouteLoaderData } from '@remix-run/react';
import type { RootLoader } from '~/root';
import { CSRF_FIELD } from '~/utils/csrf';

/**
 * The signed form token, in every form that posts to ClassCast. Browsers that send neither
 * Origin nor Referer are verified by it (app/utils/csrf.server.ts); nobody signed in, no token.
 */
export function CsrfField() {
  const token = useRouteLoaderData<RootLoader>('root')?.csrfToken;
  return token ? <input type="hidden" name={CSRF_FIELD} value={token} /> : null;
}
