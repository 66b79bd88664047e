import type { LoaderFunctionArgs } from '@remix-run/node';
import { publishedJwks } from '~/services/lti-keys.server';
import { apiRoute } from '~/utils/api.server';

/**
 * The tool's public keys (RFC 7517 JWK Set) that LMSs verify our client assertions and
 * deep-linking responses with. Public and cacheable: a new key is published an hour before
 * it signs (lti-keys.server.ts), far longer than the five minutes a cache may keep this.
 */
export const loader = apiRoute(async ({ context }: LoaderFunctionArgs) => {
  const jwks = await publishedJwks(context.services);
  return Response.json(jwks, {
    headers: { 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/json' },
  });
});
