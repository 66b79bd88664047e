/**
 * The LTI tables as the Postgres adapter reads them (lti.ts): the named prepared reads
 * (ADR 016) with their column lists, and each row type mapped to the port's domain type.
 */
import type {
  LtiContext,
  LtiLaunchState,
  LtiMembership,
  LtiPlatform,
  LtiResourceLink,
  LtiScoreState,
  LtiScoreStatus,
  LtiToolKey,
} from '../repository';
import type {
  LtiContext as ContextRow,
  LtiLaunchState as LaunchStateRow,
  LtiMembership as MembershipRow,
  LtiPlatform as PlatformRow,
  LtiResourceLink as ResourceLinkRow,
  LtiScoreStatus as ScoreStatusRow,
  LtiToolKey as ToolKeyRow,
} from '../../../generated/prisma/client';
import { statement } from './statements';

export type { ContextRow, LaunchStateRow, MembershipRow, PlatformRow, ResourceLinkRow, ScoreStatusRow, ToolKeyRow };

const PLATFORM = `id, name, issuer, client_id AS "clientId", deployment_ids AS "deploymentIds", auth_url AS "authUrl",
  token_url AS "tokenUrl", jwks_url AS "jwksUrl", created_at AS "createdAt", updated_at AS "updatedAt"`;
const KEY = `kid, public_jwk AS "publicJwk", sealed_private_key AS "sealedPrivateKey", signs_from AS "signsFrom",
  retires_at AS "retiresAt", created_at AS "createdAt"`;
const CONTEXT = `issuer, context_id AS "contextId", platform_id AS "platformId", deployment_id AS "deploymentId",
  course_id AS "courseId", title, memberships_url AS "membershipsUrl", line_items_url AS "lineItemsUrl",
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const LINK = `issuer, resource_link_id AS "resourceLinkId", platform_id AS "platformId", course_id AS "courseId",
  assignment_id AS "assignmentId", line_item_url AS "lineItemUrl", scopes, created_at AS "createdAt",
  updated_at AS "updatedAt"`;
const MEMBERSHIP = `course_id AS "courseId", user_id AS "userId", roles, active, updated_at AS "updatedAt"`;
const SCORE = `submission_id AS "submissionId", state, score_given AS "scoreGiven", attempts, last_error AS "lastError",
  sent_at AS "sentAt", updated_at AS "updatedAt"`;

export const READS = {
  platformById: statement('lti.platformById', `SELECT ${PLATFORM} FROM lti_platforms WHERE id = $1`),
  platformByClient: statement(
    'lti.platformByClient',
    `SELECT ${PLATFORM} FROM lti_platforms WHERE issuer = $1 AND client_id = $2`,
  ),
  platformsByIssuer: statement(
    'lti.platformsByIssuer',
    `SELECT ${PLATFORM} FROM lti_platforms WHERE issuer = $1 ORDER BY name, id`,
  ),
  platformsFirst: statement('lti.platformsFirst', `SELECT ${PLATFORM} FROM lti_platforms ORDER BY name, id LIMIT $1`),
  platformsAfter: statement(
    'lti.platformsAfter',
    `SELECT ${PLATFORM} FROM lti_platforms WHERE (name, id) > ($1, $2) ORDER BY name, id LIMIT $3`,
  ),
  keys: statement('lti.keys', `SELECT ${KEY} FROM lti_tool_keys ORDER BY created_at, kid`),
  userLink: statement(
    'lti.userLink',
    `SELECT user_id AS "userId" FROM lti_user_links WHERE issuer = $1 AND subject = $2`,
  ),
  userSubject: statement(
    'lti.userSubject',
    `SELECT subject FROM lti_user_links WHERE user_id = $1 AND issuer = $2
     ORDER BY created_at DESC, subject DESC LIMIT 1`,
  ),
  context: statement('lti.context', `SELECT ${CONTEXT} FROM lti_contexts WHERE issuer = $1 AND context_id = $2`),
  contextByCourse: statement(
    'lti.contextByCourse',
    `SELECT ${CONTEXT} FROM lti_contexts WHERE course_id = $1 ORDER BY created_at, issuer, context_id LIMIT 1`,
  ),
  link: statement('lti.link', `SELECT ${LINK} FROM lti_resource_links WHERE issuer = $1 AND resource_link_id = $2`),
  linksByAssignment: statement(
    'lti.linksByAssignment',
    `SELECT ${LINK} FROM lti_resource_links WHERE assignment_id = $1 ORDER BY created_at, issuer, resource_link_id`,
  ),
  membershipsFirst: statement(
    'lti.membershipsFirst',
    `SELECT ${MEMBERSHIP} FROM lti_memberships WHERE course_id = $1 ORDER BY user_id LIMIT $2`,
  ),
  membershipsAfter: statement(
    'lti.membershipsAfter',
    `SELECT ${MEMBERSHIP} FROM lti_memberships WHERE course_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`,
  ),
  score: statement('lti.score', `SELECT ${SCORE} FROM lti_score_statuses WHERE submission_id = $1`),
  scores: statement('lti.scores', `SELECT ${SCORE} FROM lti_score_statuses WHERE submission_id = ANY($1::text[])`),
};

const iso = (date: Date): string => date.toISOString();
const isoOrNull = (date: Date | null): string | null => (date ? iso(date) : null);

export function toPlatform(row: PlatformRow): LtiPlatform {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    clientId: row.clientId,
    deploymentIds: row.deploymentIds,
    authUrl: row.authUrl,
    tokenUrl: row.tokenUrl,
    jwksUrl: row.jwksUrl,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toKey(row: ToolKeyRow): LtiToolKey {
  return {
    kid: row.kid,
    publicJwk: row.publicJwk,
    sealedPrivateKey: row.sealedPrivateKey,
    signsFrom: iso(row.signsFrom),
    retiresAt: isoOrNull(row.retiresAt),
    createdAt: iso(row.createdAt),
  };
}

export function toLaunchState(row: LaunchStateRow): LtiLaunchState {
  return {
    state: row.state,
    nonce: row.nonce,
    platformId: row.platformId,
    targetLinkUri: row.targetLinkUri,
    loginHint: row.loginHint,
    expiresAt: iso(row.expiresAt),
    createdAt: iso(row.createdAt),
  };
}

export function toContext(row: ContextRow): LtiContext {
  return {
    issuer: row.issuer,
    contextId: row.contextId,
    platformId: row.platformId,
    deploymentId: row.deploymentId,
    courseId: row.courseId,
    title: row.title,
    membershipsUrl: row.membershipsUrl,
    lineItemsUrl: row.lineItemsUrl,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toResourceLink(row: ResourceLinkRow): LtiResourceLink {
  return {
    issuer: row.issuer,
    resourceLinkId: row.resourceLinkId,
    platformId: row.platformId,
    courseId: row.courseId,
    assignmentId: row.assignmentId,
    lineItemUrl: row.lineItemUrl,
    scopes: row.scopes,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toMembership(row: MembershipRow): LtiMembership {
  return {
    courseId: row.courseId,
    userId: row.userId,
    roles: row.roles,
    active: row.active,
    updatedAt: iso(row.updatedAt),
  };
}

export function toScoreStatus(row: ScoreStatusRow): LtiScoreStatus {
  return {
    submissionId: row.submissionId,
    state: row.state as LtiScoreState,
    scoreGiven: row.scoreGiven,
    attempts: row.attempts,
    lastError: row.lastError,
    sentAt: isoOrNull(row.sentAt),
    updatedAt: iso(row.updatedAt),
  };
}
