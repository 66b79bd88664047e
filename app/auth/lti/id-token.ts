/**
 * Verifying a launch's id_token (LTI 1.3 Core §5.1.3, Security Framework §5.1.3): signature
 * by the platform's JWKS (RS256), issuer, audience = our client_id, `azp` when there are
 * several audiences, expiry (5 s of clock tolerance), then the LTI claims: version 1.3.0, a
 * launch message type, a deployment id this registration accepts, and each message type's
 * required claims. The nonce is only returned: single use needs the repository, which the
 * launch service owns.
 */
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { LtiPlatform } from '~/data/repository';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE, type LaunchMessageType } from './claims';
import { LtiError } from './errors';
import { createJwksCache, type JwksCache } from './jwks-cache';

export { createJwksCache, type JwksCache, type JwksCacheOptions } from './jwks-cache';

export const CLOCK_TOLERANCE_S = 5;
/** Longer than any platform's id_token lifetime (Canvas: 1 h); the `exp` check does the real work. */
const MAX_TOKEN_AGE = '2h';

export interface LaunchClaims {
  issuer: string;
  subject: string;
  clientId: string;
  deploymentId: string;
  messageType: LaunchMessageType;
  nonce: string;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  roles: string[];
  context: { id: string; title: string | null; label: string | null } | null;
  resourceLink: { id: string; title: string | null } | null;
  /** '' on a deep-linking request that names none (the claim is required on resource links only). */
  targetLinkUri: string;
  custom: Record<string, string>;
  ags: { scope: string[]; lineItemsUrl: string | null; lineItemUrl: string | null } | null;
  nrps: { membershipsUrl: string } | null;
  deepLinking: { returnUrl: string; acceptTypes: string[]; acceptMultiple: boolean; data: string | null } | null;
  presentation: { documentTarget: string | null; returnUrl: string | null } | null;
  /**
   * Always null from the id_token: LTI Client Side postMessages sends `lti_storage_target`
   * with the login initiation, not in the token; the launch service keeps it with the state.
   */
  platformStorageTarget: string | null;
}

/** Shared by every verifier: one cache per process, so a platform's keys are fetched once. */
const defaultJwks = createJwksCache();

const text = z.string().min(1);
/** URLs the tool follows or calls: http(s) only. */
const webUrl = z.url({ protocol: /^https?$/ });
const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v ? v : null));

const contextClaim = z.object({ id: text, title: optionalText, label: optionalText });
const resourceLinkClaim = z.object({ id: text, title: optionalText });
const agsClaim = z.object({
  scope: z.array(z.string()).default([]),
  lineitems: webUrl.nullish(),
  lineitem: webUrl.nullish(),
});
const nrpsClaim = z.object({ context_memberships_url: webUrl });
const deepLinkingClaim = z.object({
  deep_link_return_url: webUrl,
  accept_types: z.array(z.string()).min(1),
  accept_multiple: z.boolean().optional(),
  data: z.string().nullish(),
});
const presentationClaim = z.object({ document_target: optionalText, return_url: optionalText });
/** Custom values are strings by the spec; a platform that sends numbers still means text. */
const customClaim = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

/** What verification needs of a registration (a stored LtiPlatform fits). */
export type VerifyingPlatform = Pick<LtiPlatform, 'issuer' | 'clientId' | 'deploymentIds' | 'jwksUrl'>;

export async function verifyLaunchToken(
  idToken: string,
  platform: VerifyingPlatform,
  opts: { now: Date; jwks?: JwksCache },
): Promise<LaunchClaims> {
  try {
    decodeProtectedHeader(idToken);
  } catch {
    throw new LtiError('MALFORMED_TOKEN', 'the id_token is not a JWS');
  }
  const keys = (opts.jwks ?? defaultJwks).keysFor(platform.jwksUrl, opts.now);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      audience: platform.clientId,
      currentDate: opts.now,
      clockTolerance: CLOCK_TOLERANCE_S,
      // Also makes jose refuse an `iat` in the future (a platform clock far ahead, or a forged stamp).
      maxTokenAge: MAX_TOKEN_AGE,
      requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
    }));
  } catch (error) {
    throw joseFailure(error);
  }

  // Several audiences: the token must say it was issued for us (OIDC Core §3.1.3.7 items 4-5).
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== platform.clientId) {
    throw new LtiError('WRONG_AUDIENCE', `azp ${JSON.stringify(payload.azp)} is not ${platform.clientId}`);
  }

  const version = claim(payload, CLAIM.version, z.string());
  if (version !== LTI_VERSION) throw new LtiError('WRONG_VERSION', `version ${version}`);
  const messageType = claim(payload, CLAIM.messageType, z.string());
  if (messageType !== MESSAGE_TYPE.resourceLink && messageType !== MESSAGE_TYPE.deepLinkingRequest) {
    throw new LtiError('WRONG_MESSAGE_TYPE', `message type ${messageType}`);
  }
  const deploymentId = claim(payload, CLAIM.deploymentId, text);
  if (!platform.deploymentIds.includes(deploymentId)) {
    throw new LtiError('UNKNOWN_DEPLOYMENT', `deployment ${deploymentId} of ${platform.issuer}`);
  }
  const roles = claim(payload, CLAIM.roles, z.array(z.string()));
  const isResourceLink = messageType === MESSAGE_TYPE.resourceLink;

  const resourceLink = isResourceLink
    ? claim(payload, CLAIM.resourceLink, resourceLinkClaim)
    : optionalClaim(payload, CLAIM.resourceLink, resourceLinkClaim);
  const targetLinkUri = isResourceLink
    ? claim(payload, CLAIM.targetLinkUri, webUrl)
    : (optionalClaim(payload, CLAIM.targetLinkUri, z.string()) ?? '');
  const deepLinking = isResourceLink ? null : claim(payload, CLAIM.deepLinkingSettings, deepLinkingClaim);
  const context = optionalClaim(payload, CLAIM.context, contextClaim);
  const ags = optionalClaim(payload, CLAIM.ags, agsClaim);
  const nrps = optionalClaim(payload, CLAIM.nrps, nrpsClaim);
  const presentation = optionalClaim(payload, CLAIM.launchPresentation, presentationClaim);

  return {
    issuer: platform.issuer,
    subject: String(payload.sub),
    clientId: platform.clientId,
    deploymentId,
    messageType,
    nonce: String(payload.nonce),
    name: stringOrNull(payload.name),
    givenName: stringOrNull(payload.given_name),
    familyName: stringOrNull(payload.family_name),
    email: stringOrNull(payload.email),
    roles,
    context: context ? { id: context.id, title: context.title, label: context.label } : null,
    resourceLink: resourceLink ? { id: resourceLink.id, title: resourceLink.title } : null,
    targetLinkUri,
    custom: optionalClaim(payload, CLAIM.custom, customClaim) ?? {},
    ags: ags ? { scope: ags.scope, lineItemsUrl: ags.lineitems ?? null, lineItemUrl: ags.lineitem ?? null } : null,
    nrps: nrps ? { membershipsUrl: nrps.context_memberships_url } : null,
    deepLinking: deepLinking
      ? {
          returnUrl: deepLinking.deep_link_return_url,
          acceptTypes: deepLinking.accept_types,
          acceptMultiple: deepLinking.accept_multiple ?? false,
          data: deepLinking.data ?? null,
        }
      : null,
    presentation: presentation
      ? { documentTarget: presentation.document_target, returnUrl: presentation.return_url }
      : null,
    platformStorageTarget: null,
  };
}

/** A required claim: absent or of the wrong shape is MISSING_CLAIM naming it. */
function claim<T extends z.ZodType>(payload: JWTPayload, name: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(payload[name]);
  if (!parsed.success) {
    throw new LtiError('MISSING_CLAIM', payload[name] === undefined ? `${name} is missing` : `${name} is malformed`);
  }
  return parsed.data;
}

/** An optional claim: absent is null; present but malformed is still an error (never half-read). */
function optionalClaim<T extends z.ZodType>(payload: JWTPayload, name: string, schema: T): z.output<T> | null {
  if (payload[name] === undefined || payload[name] === null) return null;
  return claim(payload, name, schema);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** jose's verdicts in our codes. LtiErrors (JWKS down) pass through. */
function joseFailure(error: unknown): LtiError {
  if (error instanceof LtiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof joseErrors.JWTExpired) return new LtiError('TOKEN_EXPIRED', detail, { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return new LtiError('MISSING_CLAIM', `${error.claim} is missing`, { cause: error });
    if (error.claim === 'iss') return new LtiError('WRONG_ISSUER', detail, { cause: error });
    if (error.claim === 'aud') return new LtiError('WRONG_AUDIENCE', detail, { cause: error });
    // iat/nbf in the future beyond the tolerance: not valid (yet); the launch must be redone.
    return new LtiError('TOKEN_EXPIRED', detail, { cause: error });
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  ) {
    return new LtiError('BAD_SIGNATURE', detail, { cause: error });
  }
  return new LtiError('MALFORMED_TOKEN', detail, { cause: error });
}
