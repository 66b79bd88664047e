/**
 * Third-party initiated login (LTI 1.3 Core §5.1.1, OpenID Connect Core §4): the platform
 * sends the browser to /lti/login with who is launching; the tool answers with a redirect to
 * the platform's OIDC authorization endpoint, and the platform posts the id_token back.
 */
import { z } from 'zod';
import type { LtiPlatform } from '~/data/repository';

/** Generous for hints (Canvas sends a JWT as lti_message_hint), small enough to refuse junk. */
const MAX_PARAM = 4096;
const required = z.string().trim().min(1).max(MAX_PARAM);
const optional = z
  .string()
  .trim()
  .max(MAX_PARAM)
  .optional()
  .transform((value) => (value ? value : undefined));

/** The login initiation request's parameters (GET query or POST form alike). */
export const loginInitiationSchema = z.object({
  // Looked up among the registrations, so any text will do; an unknown one is UNKNOWN_PLATFORM.
  iss: required,
  login_hint: required,
  target_link_uri: z.url({ protocol: /^https?$/ }).max(MAX_PARAM),
  // Opaque to the tool: echoed unchanged, so it is not trimmed.
  lti_message_hint: z.string().max(MAX_PARAM).optional(),
  client_id: optional,
  lti_deployment_id: optional,
  lti_storage_target: optional,
});

export type LoginInitiation = z.infer<typeof loginInitiationSchema>;

/** The OIDC authentication request the browser is redirected to (LTI 1.3 Core §5.1.1.2). */
export function authenticationRequestUrl(
  platform: Pick<LtiPlatform, 'authUrl' | 'clientId'>,
  p: { state: string; nonce: string; redirectUri: string; loginHint: string; ltiMessageHint?: string },
): string {
  const url = new URL(platform.authUrl);
  const params = url.searchParams;
  params.set('scope', 'openid');
  params.set('response_type', 'id_token');
  params.set('response_mode', 'form_post');
  params.set('prompt', 'none');
  params.set('client_id', platform.clientId);
  params.set('redirect_uri', p.redirectUri);
  params.set('login_hint', p.loginHint);
  if (p.ltiMessageHint !== undefined) params.set('lti_message_hint', p.ltiMessageHint);
  params.set('state', p.state);
  params.set('nonce', p.nonce);
  return url.toString();
}
