/**
 * LTI items inside the ten tables (docs/dynamodb.md lists them). Issuers are URLs and LMS ids
 * (context, resource link, subject, nonce, state, kid) are the platform's strings, which may
 * contain `#`: every such part of a key is encodeURIComponent'ed, so `#` only ever separates.
 * Domain fields that share a name with a table's key attribute (courseId on classcast-courses,
 * assignmentId on classcast-assignments, submissionId on classcast-submissions, userId on
 * classcast-users) are stored under another name, as auth sessions store `sessionUserId`.
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
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoContext, Item } from './client';

export const LTI_ENTITY = {
  platform: 'ltiPlatform',
  platformClaim: 'ltiPlatformClaim',
  key: 'ltiKey',
  launchState: 'ltiLaunchState',
  nonce: 'ltiNonce',
  userLink: 'ltiUserLink',
  userSubject: 'ltiUserSubject',
  context: 'ltiContext',
  contextPointer: 'ltiContextPointer',
  resourceLink: 'ltiResourceLink',
  membership: 'ltiMembership',
  scoreStatus: 'ltiScoreStatus',
} as const;

const enc = encodeURIComponent;

// classcast-courses (courseId, sk)
/** Every registration in one partition: the admin list is one Query (an institution has a handful). */
export const PLATFORMS_PARTITION = 'LTIPLATFORMS';
export const platformKey = (id: string) => ({ courseId: PLATFORMS_PARTITION, sk: `PLATFORM#${id}` });
/** One partition per issuer, one claim per client id: uniqueness, lookup and the per-issuer list. */
export const issuerPartition = (issuer: string) => `LTIISSUER#${enc(issuer)}`;
export const platformClaimKey = (issuer: string, clientId: string) => ({
  courseId: issuerPartition(issuer),
  sk: `CLIENT#${enc(clientId)}`,
});
export const KEYS_PARTITION = 'LTIKEYS';
export const toolKeyKey = (kid: string) => ({ courseId: KEYS_PARTITION, sk: `KEY#${enc(kid)}` });
export const contextKey = (issuer: string, contextId: string) => ({
  courseId: `LTICONTEXT#${enc(issuer)}#${enc(contextId)}`,
  sk: 'LTICONTEXT',
});
/** On the course's own partition: which context the course stands for (the first bound). */
export const contextPointerKey = (courseId: string) => ({ courseId, sk: 'LTICONTEXT' });
export const MEMBERSHIP_SK_PREFIX = 'LTIMEMBER#';
export const membershipKey = (courseId: string, userId: string) => ({
  courseId,
  sk: `${MEMBERSHIP_SK_PREFIX}${userId}`,
});

// classcast-users (userId)
export const launchStateKey = (state: string) => ({ userId: `LTISTATE#${enc(state)}` });
export const nonceKey = (issuer: string, nonce: string) => ({ userId: `LTINONCE#${enc(issuer)}#${enc(nonce)}` });
export const userLinkKey = (issuer: string, subject: string) => ({
  userId: `LTIUSER#${enc(issuer)}#${enc(subject)}`,
});
/** The reverse of a user link, per (user, issuer): the latest link there. */
export const userSubjectKey = (userId: string, issuer: string) => ({
  userId: `LTIUSERSUB#${userId}#${enc(issuer)}`,
});

// classcast-assignments (assignmentId)
export const resourceLinkKey = (issuer: string, resourceLinkId: string) => ({
  assignmentId: `LTILINK#${enc(issuer)}#${enc(resourceLinkId)}`,
});
/** Sort value of the sparse by-assignment index: creation order, the link's key breaking ties. */
export const resourceLinkSort = (createdAt: string, issuer: string, resourceLinkId: string) =>
  `${createdAt}#${enc(issuer)}#${enc(resourceLinkId)}`;

// classcast-submissions (submissionId)
export const scoreStatusKey = (submissionId: string) => ({ submissionId: `LTISCORE#${submissionId}` });

/** DynamoDB TTL attribute (seconds): the item is of no use after this, and TTL removes it later. */
export const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);

const orNull = <T>(v: unknown) => (v as T | null | undefined) ?? null;

export function toPlatform(item: Item): LtiPlatform {
  return {
    id: item.id as string,
    name: item.name as string,
    issuer: item.issuer as string,
    clientId: item.clientId as string,
    deploymentIds: (item.deploymentIds as string[] | undefined) ?? [],
    authUrl: item.authUrl as string,
    tokenUrl: item.tokenUrl as string,
    jwksUrl: item.jwksUrl as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

export function platformItem(p: LtiPlatform): Item {
  return { ...platformKey(p.id), entity: LTI_ENTITY.platform, ...p, deploymentIds: [...p.deploymentIds] };
}

export function platformClaimItem(p: Pick<LtiPlatform, 'id' | 'issuer' | 'clientId' | 'createdAt'>): Item {
  return {
    ...platformClaimKey(p.issuer, p.clientId),
    entity: LTI_ENTITY.platformClaim,
    platformId: p.id,
    createdAt: p.createdAt,
  };
}

export function toToolKey(item: Item): LtiToolKey {
  return {
    kid: item.kid as string,
    publicJwk: item.publicJwk as string,
    sealedPrivateKey: item.sealedPrivateKey as string,
    signsFrom: item.signsFrom as string,
    retiresAt: orNull<string>(item.retiresAt),
    createdAt: item.createdAt as string,
  };
}

export function toLaunchState(item: Item): LtiLaunchState {
  return {
    state: item.state as string,
    nonce: item.nonce as string,
    platformId: item.platformId as string,
    targetLinkUri: item.targetLinkUri as string,
    loginHint: item.loginHint as string,
    expiresAt: item.expiresAt as string,
    createdAt: item.createdAt as string,
  };
}

export function toContext(item: Item): LtiContext {
  return {
    issuer: item.issuer as string,
    contextId: item.contextId as string,
    platformId: item.platformId as string,
    deploymentId: item.deploymentId as string,
    courseId: item.contextCourseId as string,
    title: orNull<string>(item.title),
    membershipsUrl: orNull<string>(item.membershipsUrl),
    lineItemsUrl: orNull<string>(item.lineItemsUrl),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

export function toResourceLink(item: Item): LtiResourceLink {
  return {
    issuer: item.issuer as string,
    resourceLinkId: item.resourceLinkId as string,
    platformId: item.platformId as string,
    courseId: item.linkCourseId as string,
    assignmentId: orNull<string>(item.ltiAssignmentId),
    lineItemUrl: orNull<string>(item.lineItemUrl),
    scopes: (item.scopes as string[] | undefined) ?? [],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

export function toMembership(item: Item): LtiMembership {
  return {
    courseId: item.courseId as string,
    userId: item.memberUserId as string,
    roles: (item.roles as string[] | undefined) ?? [],
    active: item.active === true,
    updatedAt: item.updatedAt as string,
  };
}

export function toScoreStatus(item: Item): LtiScoreStatus {
  return {
    submissionId: item.scoreSubmissionId as string,
    state: item.state as LtiScoreState,
    scoreGiven: orNull<number>(item.scoreGiven),
    attempts: item.attempts as number,
    lastError: orNull<string>(item.lastError),
    sentAt: orNull<string>(item.sentAt),
    updatedAt: item.updatedAt as string,
  };
}

/** One LTI item by key, read consistently; null when absent or of another kind. */
export async function readLtiItem(ctx: DynamoContext, table: string, key: Item, entity: string): Promise<Item | null> {
  const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return out.Item?.entity === entity ? out.Item : null;
}

/** The `#entity = :entity` condition parts for a write that must find an item of that kind. */
export const entityIs = (entity: string) => ({
  names: { '#entity': 'entity' },
  values: { ':entity': entity },
});

/** A transaction part's cancellation reason when its condition failed. */
export const CCF = 'ConditionalCheckFailed';
/** Tries of a read-then-conditional-write before giving up to a writer that keeps winning. */
export const MAX_TRIES = 5;
